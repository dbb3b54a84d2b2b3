import type { RouterOsSession } from './client';
import { RouterOsError } from './errors';
import { cleanRouterText } from './router-text';

// Every API value is a string; these readers turn the menus the panel needs into typed rows, with
// every text value cleaned (router-text.ts) before it can reach a page, a log line or the database.

/** A pool's `ranges` is one comma-joined list; real configs with dozens of ranges stay far below this. */
const POOL_RANGES_MAX = 8192;

export interface RouterSystemInfo {
  version: string;
  identity: string;
  uptime: string;
  boardName: string | null;
  cpuLoad: number | null;
}

export interface RouterIpPool {
  name: string;
  ranges: string;
}

export interface RouterPppActive {
  id: string;
  name: string;
  address: string | null;
  service: string | null;
  sessionId: string | null;
}

export interface RouterRadiusServer {
  service: string[];
  address: string;
  secret: string;
  authPort: number;
  acctPort: number;
  disabled: boolean;
}

export interface RouterRadiusIncoming {
  accept: boolean;
  port: number;
}

function toInt(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : fallback;
}

function toBool(value: string | undefined): boolean {
  return value === 'true' || value === 'yes';
}

/** Cleaned text, '' when absent. */
function text(value: string | undefined, maxLength?: number): string {
  return value === undefined ? '' : cleanRouterText(value, maxLength);
}

/** Cleaned text, null when absent or empty. */
function orNull(value: string | undefined): string | null {
  const cleaned = text(value);
  return cleaned === '' ? null : cleaned;
}

function single(s: RouterOsSession, rows: Record<string, string>[], command: string): Record<string, string> {
  const row = rows.find((r) => !('ret' in r)) ?? rows[0];
  if (!row) {
    throw new RouterOsError('protocol', `router sent an unreadable reply: ${command} returned nothing`, {
      target: s.target ?? 'router',
      command,
    });
  }
  return row;
}

export async function readSystemInfo(s: RouterOsSession): Promise<RouterSystemInfo> {
  const [resource, identity] = await Promise.all([s.run('/system/resource/print'), s.run('/system/identity/print')]);
  const r = single(s, resource, '/system/resource/print');
  const cpuLoad = Number.parseInt(r['cpu-load'] ?? '', 10);
  return {
    version: text(r.version),
    identity: text(single(s, identity, '/system/identity/print').name),
    uptime: text(r.uptime),
    boardName: orNull(r['board-name']),
    cpuLoad: Number.isFinite(cpuLoad) ? cpuLoad : null,
  };
}

export async function readIpPools(s: RouterOsSession): Promise<RouterIpPool[]> {
  const rows = await s.run('/ip/pool/print', ['=.proplist=name,ranges']);
  return rows.filter((r) => r.name !== undefined).map((r) => ({ name: text(r.name), ranges: text(r.ranges, POOL_RANGES_MAX) }));
}

export async function readPppActive(s: RouterOsSession): Promise<RouterPppActive[]> {
  const rows = await s.run('/ppp/active/print', ['=.proplist=.id,name,address,service,session-id']);
  return rows
    .filter((r) => r['.id'] !== undefined)
    .map((r) => ({
      id: text(r['.id']),
      name: text(r.name),
      address: orNull(r.address),
      service: orNull(r.service),
      sessionId: orNull(r['session-id']),
    }));
}

export async function readRadiusServers(s: RouterOsSession): Promise<RouterRadiusServer[]> {
  const rows = await s.run('/radius/print');
  return rows
    .filter((r) => r.address !== undefined)
    .map((r) => ({
      service: text(r.service).split(',').filter(Boolean),
      address: text(r.address),
      // Not cleaned: it is only compared with the NAS's secret, never shown, and a cleaned copy could
      // compare equal to a secret the router does not actually have.
      secret: r.secret ?? '',
      authPort: toInt(r['authentication-port'], 1812),
      acctPort: toInt(r['accounting-port'], 1813),
      disabled: toBool(r.disabled),
    }));
}

export async function readRadiusIncoming(s: RouterOsSession): Promise<RouterRadiusIncoming> {
  const row = single(s, await s.run('/radius/incoming/print'), '/radius/incoming/print');
  return { accept: toBool(row.accept), port: toInt(row.port, 3799) };
}

/** Disconnects one PPP session; `id` is the `.id` from readPppActive (`*80000068`). */
export async function removePppActive(s: RouterOsSession, id: string): Promise<void> {
  // One word per id is safe from injection, but a comma would turn it into a list of ids.
  if (!/^\*[0-9A-Fa-f]+$/.test(id)) throw new RangeError(`not a RouterOS item id: "${id}"`);
  await s.run('/ppp/active/remove', [`=.id=${id}`]);
}

/** The PPP sessions of one user name: normally one, several when the PPP profile allows more. */
export async function readPppActiveByName(s: RouterOsSession, name: string): Promise<RouterPppActive[]> {
  const rows = await s.run('/ppp/active/print', ['=.proplist=.id,name,address,service,session-id', `?name=${name}`]);
  return rows
    .filter((r) => r['.id'] !== undefined && r.name === name)
    .map((r) => ({
      id: text(r['.id']),
      name: text(r.name),
      address: orNull(r.address),
      service: orNull(r.service),
      sessionId: orNull(r['session-id']),
    }));
}

export interface RouterHotspotActive {
  id: string;
  user: string;
  address: string | null;
}

/**
 * The hotspot logins of one user. A router without the hotspot menu (the package removed, or a menu it does
 * not know) has none: its trap means "no hotspot here", not a failure.
 */
export async function readHotspotActiveByUser(s: RouterOsSession, user: string): Promise<RouterHotspotActive[]> {
  let rows: Record<string, string>[];
  try {
    rows = await s.run('/ip/hotspot/active/print', ['=.proplist=.id,user,address', `?user=${user}`]);
  } catch (e) {
    if (e instanceof RouterOsError && e.kind === 'trap' && /no such command/.test(e.routerMessage ?? '')) return [];
    throw e;
  }
  return rows
    .filter((r) => r['.id'] !== undefined && r.user === user)
    .map((r) => ({ id: text(r['.id']), user: text(r.user), address: orNull(r.address) }));
}

/** Logs one hotspot user out; `id` is the `.id` from readHotspotActiveByUser. */
export async function removeHotspotActive(s: RouterOsSession, id: string): Promise<void> {
  if (!/^\*[0-9A-Fa-f]+$/.test(id)) throw new RangeError(`not a RouterOS item id: "${id}"`);
  await s.run('/ip/hotspot/active/remove', [`=.id=${id}`]);
}

export interface RouterSimpleQueue {
  id: string;
  name: string;
  maxLimit: string;
}

/** A simple queue by its exact name, e.g. the dynamic `<pppoe-alice>` a RADIUS rate limit creates. */
export async function readSimpleQueueByName(s: RouterOsSession, name: string): Promise<RouterSimpleQueue | null> {
  const rows = await s.run('/queue/simple/print', ['=.proplist=.id,name,max-limit', `?name=${name}`]);
  const row = rows.find((r) => r['.id'] !== undefined && r.name === name);
  return row ? { id: text(row['.id']), name: text(row.name), maxLimit: text(row['max-limit']) } : null;
}

/** Rates in bit/s as `upload/download` (the queue's target-upload/target-download); burst time in seconds. */
export interface SimpleQueueLimits {
  maxLimit: string;
  burstLimit: string;
  burstThreshold: string;
  burstTime: string;
}

export async function setSimpleQueueLimits(s: RouterOsSession, id: string, limits: SimpleQueueLimits): Promise<void> {
  if (!/^\*[0-9A-Fa-f]+$/.test(id)) throw new RangeError(`not a RouterOS item id: "${id}"`);
  await s.run('/queue/simple/set', [
    `=.id=${id}`,
    `=max-limit=${limits.maxLimit}`,
    `=burst-limit=${limits.burstLimit}`,
    `=burst-threshold=${limits.burstThreshold}`,
    `=burst-time=${limits.burstTime}`,
  ]);
}
