import type { RouterOsSession, RouterOsStream } from './client';
import { RouterOsError } from './errors';
import { seconds } from './messages';
import { cleanRouterText } from './router-text';
import { parseTorchRow, TorchRowError, TorchSection, type TorchFrame } from './torch-rows';

export { type TorchFlow, type TorchFrame } from './torch-rows';

/** What to watch: an interface, broken down per flow (addresses, protocol and ports). */
export interface TorchQuery {
  /** `ether1`, `<pppoe-alice>`: one API word, sent as it is. */
  interface: string;
  /** CIDR; the default `0.0.0.0/0` lists every address (a torch filter both filters and breaks down). */
  srcAddress?: string;
  dstAddress?: string;
}

export interface TorchLimits {
  /** No sentence from the router this long: a probe asks whether it is still there. */
  stallMs: number;
  /** How long the probe may take before the stream ends as stalled. */
  probeMs: number;
  /** A refresh is complete once its rows stop for this long (or the next refresh starts). */
  quietMs: number;
  /** No row for this long: an empty frame, so an idle interface still shows time passing. */
  idleFrameMs: number;
  /** How long `/cancel` may take at the end before the connection is closed anyway. */
  cancelMs: number;
  /** Rows read per refresh; the rest are dropped and the frame is marked truncated. */
  maxRowsPerFrame: number;
  /** Flows each frame carries (the busiest). */
  maxFlows: number;
}

/**
 * RouterOS refreshes torch every second and prints its first frame after about two; five seconds of nothing
 * is a router in trouble or an interface with no traffic at all, which the probe tells apart.
 */
export const TORCH_LIMITS: TorchLimits = {
  stallMs: 5000,
  probeMs: 2000,
  quietMs: 250,
  idleFrameMs: 1500,
  cancelMs: 1000,
  maxRowsPerFrame: 5000,
  maxFlows: 50,
};

export type TorchEnd = 'cancelled' | 'ended-by-router';

/** The API words of a torch that lists every flow of `q.interface`. */
export function torchWords(q: TorchQuery): string[] {
  return [
    `=interface=${q.interface}`,
    `=src-address=${q.srcAddress ?? '0.0.0.0/0'}`,
    `=dst-address=${q.dstAddress ?? '0.0.0.0/0'}`,
    '=ip-protocol=any',
    '=port=any',
  ];
}

/**
 * Runs `/tool/torch` until `signal` aborts (resolves 'cancelled') or the router ends it ('ended-by-router'),
 * calling `onFrame` once per refresh. Rejects with a RouterOsError when the router traps, stalls, sends
 * garbage or drops the connection. Whatever the end, `/cancel` has been sent (bounded by `cancelMs`) before it
 * settles; closing the connection stays with the caller (withRouterOs).
 */
export function watchTorch(
  s: RouterOsSession,
  q: TorchQuery,
  opts: { signal: AbortSignal; onFrame: (frame: TorchFrame) => void; limits?: Partial<TorchLimits> },
): Promise<TorchEnd> {
  const limits = { ...TORCH_LIMITS, ...opts.limits };
  const target = s.target ?? 'router';
  const command = '/tool/torch';
  return new Promise<TorchEnd>((resolve, reject) => {
    let section = new TorchSection(null, limits.maxRowsPerFrame);
    let lastSection: string | null = null;
    let lastHeard = Date.now();
    let lastFrame = Date.now();
    let probing = false;
    let over = false;
    let quietTimer: NodeJS.Timeout | undefined;

    const emit = () => {
      clearTimeout(quietTimer);
      lastFrame = Date.now();
      lastSection = section.id;
      const frame = section.toFrame(lastFrame, limits.maxFlows);
      section = new TorchSection(null, limits.maxRowsPerFrame);
      opts.onFrame(frame);
    };

    const stalled = () =>
      new RouterOsError(
        'timeout',
        `router stopped answering: no torch data for ${seconds(limits.stallMs)} and no answer to a check within ${seconds(limits.probeMs)}`,
        { target, command },
      );

    const finish = (outcome: { end: TorchEnd } | { error: unknown }) => {
      if (over) return;
      over = true;
      clearTimeout(quietTimer);
      clearInterval(ticker);
      opts.signal.removeEventListener('abort', onAbort);
      // The router keeps torching (and its CPU busy) until told otherwise, whatever ended our side.
      void stream.cancel(limits.cancelMs).then(() => ('end' in outcome ? resolve(outcome.end) : reject(outcome.error)));
    };

    const onRow = (row: Record<string, string>) => {
      if (over) return;
      lastHeard = Date.now();
      const id = row['.section'] ?? null;
      // A row of a refresh already shown (it came after the quiet time): too late to matter.
      if (id !== null && id === lastSection && section.size === 0) return;
      if (section.size > 0 && id !== section.id) emit();
      if (section.size === 0) section = new TorchSection(id, limits.maxRowsPerFrame);
      try {
        const flow = parseTorchRow(row);
        if (flow) section.add(flow);
      } catch (e) {
        if (!(e instanceof TorchRowError)) throw e;
        finish({ error: new RouterOsError('protocol', `router sent a torch row that is not one: ${e.message}`, { target, command }) });
        return;
      }
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => !over && emit(), limits.quietMs);
    };

    const tick = () => {
      const now = Date.now();
      if (section.size === 0 && now - lastFrame >= limits.idleFrameMs) emit();
      if (probing || now - lastHeard < limits.stallMs) return;
      // Silence is either an idle interface or a dead router: a small command on the same connection tells.
      probing = true;
      s.run('/system/identity/print', [], { timeoutMs: limits.probeMs }).then(
        () => {
          probing = false;
          lastHeard = Date.now();
        },
        () => finish({ error: stalled() }),
      );
    };

    const onAbort = () => finish({ end: 'cancelled' });

    let stream: RouterOsStream;
    try {
      stream = s.stream(command, torchWords(q), onRow);
    } catch (e) {
      reject(e);
      return;
    }
    // Declared here, after the stream exists: finish() can only run from this point on.
    const ticker = setInterval(tick, Math.min(250, limits.quietMs));
    stream.finished.then(
      () => finish({ end: 'ended-by-router' }),
      // A probe that timed out fails the connection, so the stream's own error is only the echo of the stall.
      (e: unknown) => finish({ error: probing ? stalled() : e }),
    );
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort);
  });
}

export interface TorchInterface {
  /** `<pppoe-alice>`: RouterOS names a PPP session's dynamic interface after its service and user. */
  interface: string;
  address: string | null;
}

/** The dynamic interface of `user`'s PPP session on this router, or null when none is up. */
export async function findPppInterface(s: RouterOsSession, user: string): Promise<TorchInterface | null> {
  const rows = await s.run('/ppp/active/print', ['=.proplist=name,service,address', `?name=${user}`]);
  const row = rows.find((r) => r.name === user && r.service);
  if (!row) return null;
  return {
    interface: `<${cleanRouterText(row.service, 24)}-${user}>`,
    address: row.address ? cleanRouterText(row.address, 64) : null,
  };
}
