// The only module in the project that talks to node-routeros; everything else imports from here.
export { withRouterOs, type RouterOsSession, type RouterOsStream, type RouterOsTarget } from './client';
export { routerDeadlines, type RouterDeadlines, type SessionDeadlines } from './deadlines';
export { RouterOsError, type RouterOsErrorKind } from './errors';
export { cleanRouterText, ROUTER_MESSAGE_MAX, ROUTER_TEXT_MAX } from './router-text';
export { normalizeFingerprint } from './tls-trust';
export { MAX_REPLY_BYTES, MAX_ROWS_PER_REPLY, MAX_WORD_BYTES, MAX_WORDS_PER_SENTENCE } from './limits';
export {
  readHotspotActiveByUser,
  readIpPools,
  readPppActive,
  readPppActiveByName,
  readRadiusIncoming,
  readRadiusServers,
  readSystemInfo,
  readSimpleQueueByName,
  removeHotspotActive,
  removePppActive,
  setSimpleQueueLimits,
  type RouterHotspotActive,
  type RouterIpPool,
  type RouterPppActive,
  type RouterRadiusIncoming,
  type RouterRadiusServer,
  type RouterSimpleQueue,
  type RouterSystemInfo,
  type SimpleQueueLimits,
} from './readers';
export {
  findPppInterface,
  TORCH_LIMITS,
  watchTorch,
  type TorchEnd,
  type TorchFlow,
  type TorchFrame,
  type TorchInterface,
  type TorchLimits,
  type TorchQuery,
} from './torch';
