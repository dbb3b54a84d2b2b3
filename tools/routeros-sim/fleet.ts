import { readFileSync } from 'node:fs';
import { startRouter, type SimRouter, type StartRouterOptions } from './router';
import type { SimRouterConfig } from './types';

/** Listening sockets opened at once; keeps a 1000-router fleet from spiking the event loop. */
const START_CONCURRENCY = 64;

export interface SimFleet {
  routers: SimRouter[];
  stop(): Promise<void>;
}

export async function startFleet(cfgs: SimRouterConfig[], opts: StartRouterOptions = {}): Promise<SimFleet> {
  const routers: SimRouter[] = new Array(cfgs.length);
  const stop = async () => {
    await Promise.all(routers.filter(Boolean).map((r) => r.stop()));
  };
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (next < cfgs.length && failed === null) {
      const i = next++;
      try {
        routers[i] = await startRouter(cfgs[i], opts);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  // Every worker settles before cleanup, so no router finishes starting after the fleet was stopped.
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, cfgs.length) }, worker));
  if (failed !== null) {
    await stop();
    throw failed;
  }
  return { routers, stop };
}

/** A JSON array of router configs, or `{ "routers": [...] }`. */
export function loadFleetFile(path: string): SimRouterConfig[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : (parsed as { routers?: unknown })?.routers;
  if (!Array.isArray(list)) throw new Error(`${path}: expected an array of routers or { "routers": [...] }`);
  list.forEach((entry, i) => {
    for (const field of ['host', 'username', 'password'] as const) {
      if (typeof (entry as Record<string, unknown>)?.[field] !== 'string') {
        throw new Error(`${path}: router #${i + 1} needs a string "${field}"`);
      }
    }
    const problem = radiusClientProblem((entry as Record<string, unknown>).radiusClient);
    if (problem) throw new Error(`${path}: router #${i + 1}: radiusClient ${problem}`);
  });
  return list as SimRouterConfig[];
}

const METHODS = ['pap', 'chap', 'mschapv2'];

/** What is wrong with a `radiusClient` entry, or null (absent is fine). */
function radiusClientProblem(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') return 'must be an object';
  const rc = value as Record<string, unknown>;
  for (const field of ['server', 'secret'] as const)
    if (typeof rc[field] !== 'string' || rc[field] === '') return `needs a string "${field}"`;
  if (!Array.isArray(rc.subscribers)) return 'needs a "subscribers" array';
  for (const [j, s] of (rc.subscribers as Array<Record<string, unknown> | null>).entries()) {
    if (typeof s?.name !== 'string' || typeof s.password !== 'string') return `subscriber #${j + 1} needs a string "name" and "password"`;
    if (!METHODS.includes(s.method as string)) return `subscriber ${s.name}: "method" must be one of ${METHODS.join(', ')}`;
  }
  return null;
}
