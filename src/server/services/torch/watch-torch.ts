import type { TorchInterfaceInput, TorchSessionInput } from '@/lib/schemas/torch';
import type { TorchEvent, TorchStopCause } from '@/server/api/outputs/torch';
import type { Actor } from '@/server/auth/actor';
import { RouterOsError, watchTorch, type TorchLimits, type TorchQuery } from '@/server/integrations/routeros';
import { withNasRouterOs } from '@/server/services/nas/nas-router-session';
import { acquireTorchLease } from './torch-lease';
import { interfaceTorchTarget, sessionTorchTarget, TorchTargetGone, type TorchTarget } from './torch-target';

/** The longest one torch runs: it costs the router CPU (fasttrack is off while it runs) and a connection. */
export const TORCH_MAX_MS = 5 * 60_000;
/** How often a running torch asks again whether its viewer may still see what it shows. */
export const TORCH_RECHECK_MS = 15_000;
/** Frames waiting for a slow browser: older ones are dropped, a live view only needs the latest. */
const MAX_PENDING_FRAMES = 5;

export interface TorchRunOptions {
  /** Aborted when the viewer goes away (tRPC aborts it when the browser closes the stream). */
  signal?: AbortSignal;
  maxMs?: number;
  recheckMs?: number;
  limits?: Partial<TorchLimits>;
}

/** Live Torch of an open session in the actor's scope (its PPP interface, or its address on its port). */
export async function* watchSessionTorch(actor: Actor, input: TorchSessionInput, opts: TorchRunOptions = {}) {
  yield* runTorch(actor, await sessionTorchTarget(actor, input.id), opts);
}

/** Live Torch of an interface of a NAS in the actor's scope. */
export async function* watchInterfaceTorch(actor: Actor, input: TorchInterfaceInput, opts: TorchRunOptions = {}) {
  yield* runTorch(actor, await interfaceTorchTarget(actor, input), opts);
}

type Item = TorchEvent | { type: 'viewer-gone' };

/**
 * Holds the router's torch lease, runs the torch on the router and yields its events, until the viewer goes
 * away, the time limit, the viewer's scope or the router ends it; the last event says why (the viewer leaving
 * needs none). Whatever ends it, the router is told `/cancel`, its connection closed, then the lease released.
 */
async function* runTorch(actor: Actor, target: TorchTarget, opts: TorchRunOptions): AsyncGenerator<TorchEvent> {
  const { nas } = target;
  const lease = await acquireTorchLease(nas.id, nas.name, actor);
  const queue = new EventQueue<Item>();
  const router = new AbortController();
  const maxMs = opts.maxMs ?? TORCH_MAX_MS;
  const endsAt = Date.now() + maxMs;
  const stop = (cause: TorchStopCause, reason: string) => queue.push({ type: 'stopped', cause, reason });
  const onViewerGone = () => queue.push({ type: 'viewer-gone' });

  const timeLimit = setTimeout(
    () => stop('time-limit', `Stopped after ${duration(maxMs)}, the longest one torch runs: start it again to keep watching.`),
    maxMs,
  );
  let checking = false;
  const recheck = setInterval(() => {
    if (checking) return;
    checking = true;
    target
      .recheck()
      .then(
        (lost) => lost && stop(lost.cause, lost.reason),
        // Fail closed: a torch nobody can vouch for any more stops.
        () => stop('scope', 'Stopped: your access could not be checked again (database unavailable).'),
      )
      .finally(() => (checking = false));
  }, opts.recheckMs ?? TORCH_RECHECK_MS);
  opts.signal?.addEventListener('abort', onViewerGone);

  const work = withNasRouterOs(nas, async (s) => {
    const query = await target.locate(s);
    queue.push({ type: 'started', nasName: nas.name, interface: query.interface, filter: describeFilter(query), endsAt });
    return watchTorch(s, query, {
      signal: router.signal,
      limits: opts.limits,
      onFrame: (f) => queue.push({ type: 'frame', ...f }, MAX_PENDING_FRAMES),
    });
  }).then(
    (end) => end === 'ended-by-router' && stop('router-ended', 'The router ended the torch: the interface is gone (did the session end?).'),
    (e: unknown) => stop('router-error', routerFailure(nas.name, e)),
  );

  try {
    if (opts.signal?.aborted) return;
    for (;;) {
      const item = await queue.take();
      if (item.type === 'viewer-gone') return;
      yield item;
      if (item.type === 'stopped') return;
    }
  } finally {
    clearTimeout(timeLimit);
    clearInterval(recheck);
    opts.signal?.removeEventListener('abort', onViewerGone);
    router.abort();
    // Bounded by the integration's deadlines (connect, locate, /cancel); the lease outlives the router session.
    await work;
    await lease.release();
  }
}

function describeFilter(q: TorchQuery): string {
  return [q.srcAddress && `from ${q.srcAddress}`, q.dstAddress && `to ${q.dstAddress}`].filter(Boolean).join(', ');
}

function duration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}

/** Words for the page; anything that is not the router's doing stays in the server log. */
function routerFailure(nasName: string, e: unknown): string {
  if (e instanceof RouterOsError) return `Torch through ${nasName} stopped: ${e.message}`;
  if (e instanceof TorchTargetGone) return `Torch through ${nasName} did not start: ${e.message}`;
  console.error(`[torch] ${nasName}: unexpected failure: ${e instanceof Error ? e.message.split('\nparams:')[0] : String(e)}`);
  return `Torch through ${nasName} stopped: the panel failed (the server log says why)`;
}

/** Items waiting for the generator, which takes them one at a time. */
class EventQueue<T extends { type: string }> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | null = null;

  /** With `maxOfType`, an item whose type already waits that many times drops the oldest of them. */
  push(item: T, maxOfType?: number): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake(item);
      return;
    }
    if (maxOfType !== undefined && this.items.filter((i) => i.type === item.type).length >= maxOfType) {
      this.items.splice(
        this.items.findIndex((i) => i.type === item.type),
        1,
      );
    }
    this.items.push(item);
  }

  take(): Promise<T> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}
