// RouterOS simulator speaking the real API wire protocol: tests, e2e, `npm run sim`, benchmarks.
export { startRouter, type SimRouter } from './router';
export { startFleet, loadFleetFile, type SimFleet } from './fleet';
export { challengeResponse } from './session';
export {
  FAULT_MODES,
  type FaultMode,
  type SimPoolConfig,
  type SimPppActiveConfig,
  type SimPppSession,
  type SimRadiusConfig,
  type SimRadiusIncoming,
  type SimRouterConfig,
} from './types';
