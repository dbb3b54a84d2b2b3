import postgres from 'postgres';
import { env } from '@/env';

export interface ChannelListener {
  stop(): Promise<void>;
  /** Stopped for good (by `stop()` or `closeDb()`), not merely reconnecting. */
  readonly stopped: boolean;
}

// closeDb() stops every listener too, so a script or test that closes the database is not kept alive.
const g = globalThis as unknown as { __nasPanelListeners?: Set<ChannelListener> };
const listeners = (g.__nasPanelListeners ??= new Set());

export async function stopAllListeners() {
  await Promise.all([...listeners].map((l) => l.stop()));
}

/**
 * LISTEN on one channel over a dedicated connection, reporting its health: `onState(true)` once the LISTEN
 * is in place (again after every reconnect), `onState(false)` as soon as the connection is lost. What was
 * notified while it was down is lost, so whoever derives state from the notifications must treat all of it
 * as stale on `false`. Reconnects with backoff up to 10 s; its timers never keep the process alive.
 *
 * Not postgres.js' own `sql.listen`: that one re-listens silently and gives up for good after a failed
 * reconnect, so a cache built on it could not know its notifications had stopped.
 */
export function listenChannel(
  channel: string,
  onNotify: (payload: string) => void,
  onState: (listening: boolean) => void,
): ChannelListener {
  let current: postgres.Sql | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delayMs = 250;
  let stopped = false;
  let outageLogged = false;

  const lost = (conn: postgres.Sql, reason?: unknown) => {
    if (current !== conn) return;
    current = null;
    onState(false);
    void conn.end({ timeout: 0 }).catch(() => {});
    if (stopped) return;
    // Once per outage: the panel keeps working (callers fall back to reading), but slower, and someone
    // running PgBouncer in transaction mode, where LISTEN cannot work, should hear why.
    if (!outageLogged) {
      outageLogged = true;
      const why = reason instanceof Error ? reason.message : 'connection closed';
      console.warn(`[db] LISTEN ${channel}: ${why}; retrying in the background (until then every call reads its data afresh)`);
    }
    retry = setTimeout(connect, delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, 10_000);
  };

  function connect() {
    retry = null;
    // onnotify is a postgres.js option its type declarations leave out (its own listen() uses it).
    const conn: postgres.Sql = postgres(env().DATABASE_URL, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: 0,
      connect_timeout: 10,
      onnotice: () => {},
      onnotify: (ch: string, payload: string) => {
        if (ch === channel && current === conn) onNotify(payload);
      },
      onclose: () => lost(conn),
    } as postgres.Options<Record<string, never>>);
    current = conn;
    conn`listen ${conn(channel)}`.then(
      () => {
        if (current !== conn) return;
        delayMs = 250;
        if (outageLogged) console.warn(`[db] LISTEN ${channel}: listening again`);
        outageLogged = false;
        onState(true);
      },
      (e: unknown) => lost(conn, e),
    );
  }

  connect();
  const listener: ChannelListener = {
    get stopped() {
      return stopped;
    },
    async stop() {
      listeners.delete(listener);
      stopped = true;
      if (retry) clearTimeout(retry);
      const conn = current;
      current = null;
      if (conn) {
        onState(false);
        await conn.end({ timeout: 1 }).catch(() => {});
      }
    },
  };
  listeners.add(listener);
  return listener;
}
