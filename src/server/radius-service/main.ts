import { env } from '@/env';
import { closeDb } from '@/server/db/client';
import { AccountingWriter } from './accounting-writer';
import { heapReport } from './heap-report';
import { startLiveReload } from './live-reload';
import { NasActivity } from './nas-activity';
import { NasClients } from './nas-clients';
import { startRadiusSockets } from './server';
import { SubscriberDirectory } from './subscribers';
import { UnknownClients } from './unknown-clients';

export interface RadiusService {
  readonly addresses: string[];
  readonly ports: { auth: number; acct: number };
  readonly clients: NasClients;
  readonly subscribers: SubscriberDirectory;
  /** Writes what is counted in memory now (tests; also run every RADIUS_FLUSH_MS). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One RADIUS process: loads the NAS rows, subscribers and plans, keeps them live, answers on RADIUS_LISTEN.
 * Nothing in it depends on another instance: routers may list several of these as `/radius` servers.
 */
export async function startRadiusService(
  opts: { addresses?: string[]; authPort?: number; acctPort?: number; log?: (line: string) => void } = {},
): Promise<RadiusService> {
  const e = env();
  const log = opts.log ?? ((line: string) => console.log(line));
  const clients = new NasClients();
  const subscribers = new SubscriberDirectory();
  const live = startLiveReload(clients, subscribers, { reloadMs: e.RADIUS_RELOAD_MS, log });
  const loaded = await Promise.race([live.ready.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref())]);
  if (!loaded) {
    await live.stop();
    throw new Error('could not load the NAS rows and subscribers within 30 s: is PostgreSQL reachable (DATABASE_URL)?');
  }
  log(heapReport());
  void subscribers.passwordsChecked().then((r) => {
    if (r.checked === 0) return;
    const fails = r.fails ? `; ${r.fails} have none, or one that does not decrypt for their row (rejected until set again)` : '';
    log(`[radius] ${r.checked} subscriber passwords checked in ${r.ms} ms${fails}`);
  });
  const accounting = new AccountingWriter({
    batchMs: e.RADIUS_ACCT_BATCH_MS,
    batchMax: e.RADIUS_ACCT_BATCH_MAX,
    spacingMs: e.RADIUS_ACCT_GROUP_SPACING_MS,
    log,
  });
  const activity = new NasActivity();
  const unknown = new UnknownClients(log);
  const addresses = opts.addresses ?? e.RADIUS_LISTEN.split(',').map((a) => a.trim());
  let sockets;
  try {
    sockets = await startRadiusSockets(
      { clients, subscribers, accounting, activity, unknown, log },
      { addresses, authPort: opts.authPort ?? e.RADIUS_AUTH_PORT, acctPort: opts.acctPort ?? e.RADIUS_ACCT_PORT },
    );
  } catch (err) {
    await live.stop();
    throw err;
  }
  const flush = async () => {
    await Promise.all([
      activity.flush().catch((err: Error) => log(`[radius] could not write NAS counters: ${err.message.split('\n')[0]}`)),
      unknown.flush().catch((err: Error) => log(`[radius] could not record unknown devices: ${err.message.split('\n')[0]}`)),
    ]);
  };
  const timer = setInterval(() => void flush(), e.RADIUS_FLUSH_MS);
  timer.unref();
  return {
    addresses: sockets.addresses,
    ports: sockets.ports,
    clients,
    subscribers,
    flush,
    async stop() {
      clearInterval(timer);
      await sockets.close();
      await accounting.close();
      await flush();
      await live.stop();
    },
  };
}

/** `npm run radius` and the RADIUS child of `npm start`. */
export async function runRadiusProcess() {
  const service = await startRadiusService();
  console.log(`[radius] listening on ${service.addresses.join(', ')}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service.stop().catch((e: Error) => console.error(`[radius] stopping: ${e.message}`));
    await closeDb();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
