import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { encodeAccessRequest } from '@/server/integrations/radius';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';
import { startRadiusService, type RadiusService } from './main';
import { exchange, makePlan, makeSubscriber } from './test-support';
import { radiusNodeOptions } from '../../../scripts/radius-heap.mjs';

/**
 * NAS rows reach every RADIUS process at commit, without a restart: one service in this process and one real
 * `npm run radius` process beside it, both on the test database.
 */
let inProcess: RadiusService;
let child: ChildProcess;
const childPorts = { auth: 18_400 + Math.floor(Math.random() * 500), acct: 0 };
childPorts.acct = childPorts.auth + 1;
let childLog = '';

beforeAll(async () => {
  const planId = await makePlan();
  await makeSubscriber({ username: 'roamer', password: 'roamer-pass', planId });
  inProcess = await startRadiusService({ addresses: ['127.0.0.1'], authPort: 0, acctPort: 0, log: () => {} });
  child = spawn(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/radius.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      // Started as `npm run radius` and `npm start` start it: with its heap limit in NODE_OPTIONS.
      NODE_OPTIONS: radiusNodeOptions({ ...process.env, RADIUS_MAX_HEAP_MB: '700' }),
      RADIUS_LISTEN: '127.0.0.1',
      RADIUS_AUTH_PORT: String(childPorts.auth),
      RADIUS_ACCT_PORT: String(childPorts.acct),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (childLog += d));
  child.stderr!.on('data', (d) => (childLog += d));
  const deadline = Date.now() + 30_000;
  while (!childLog.includes('[radius] listening on')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the RADIUS process did not start:\n${childLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);
afterAll(async () => {
  child?.kill('SIGTERM');
  await inProcess?.stop();
});

const login = (secret: string, port: number, source: string) =>
  exchange(
    encodeAccessRequest({ secret, userName: 'roamer', credentials: { method: 'pap', password: 'roamer-pass' } }).packet,
    { port },
    source,
    400,
  );

/** Milliseconds from `change` until `accepted` holds on both processes (polled every 25 ms, up to 5 s). */
async function timeToBoth(change: () => Promise<unknown>, accepted: (port: number) => Promise<boolean>) {
  await change();
  const t = performance.now();
  const done = new Set<number>();
  while (done.size < 2 && performance.now() - t < 5000) {
    for (const port of [inProcess.ports.auth, childPorts.auth]) if (!done.has(port) && (await accepted(port))) done.add(port);
    if (done.size < 2) await new Promise((r) => setTimeout(r, 25));
  }
  expect(done.size, childLog).toBe(2);
  return performance.now() - t;
}

describe('the NAS table, live on every RADIUS process', () => {
  it('the separate process runs under the heap limit it was given, and says so', () => {
    // 700 MB of old space is a 748 MB V8 heap limit (the young generation is added); Node's default is GBs.
    expect(childLog).toMatch(/\[radius\] heap: \d+ MB in use of its 748 MB limit\n/);
  });

  it('a new NAS is answered within a second, a changed secret too, a deleted one no more', async () => {
    const admin = await makeUser({ role: 'admin' });
    const source = '127.0.94.1';
    expect(await login('first-secret', inProcess.ports.auth, source)).toBeNull();

    const created = await timeToBoth(
      () => makeNas(admin, { ipAddress: source, secret: 'first-secret' }),
      async (port) => (await login('first-secret', port, source)) !== null,
    );
    expect(created).toBeLessThan(1000);

    const [{ id }] = await db().execute<{ id: number }>(sql`select id from nas_devices where ip_address = ${source}::inet`);
    const c = callerFor(admin);
    const cur = await c.nas.get({ id });
    const changed = await timeToBoth(
      () => c.nas.update({ ...cur, secret: 'second-secret', apiPassword: '' }),
      async (port) => (await login('second-secret', port, source)) !== null,
    );
    expect(changed).toBeLessThan(1000);
    for (const port of [inProcess.ports.auth, childPorts.auth]) expect(await login('first-secret', port, source)).toBeNull();

    const deleted = await timeToBoth(
      () => c.nas.delete({ id }),
      async (port) => (await login('second-secret', port, source)) === null,
    );
    // Dropping waits for a whole silent exchange (400 ms) per check; a second still bounds it.
    expect(deleted).toBeLessThan(1500);
  });

  it('keeps answering a NAS whose Is Active is off (the documentation: disabling does not remove the secret)', async () => {
    const admin = await makeUser({ role: 'admin' });
    const source = '127.0.94.2';
    const nas = await makeNas(admin, { ipAddress: source, secret: 'kept-secret' });
    const c = callerFor(admin);
    await c.nas.update({ ...(await c.nas.get({ id: nas.id })), isActive: false, secret: '', apiPassword: '' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await login('kept-secret', inProcess.ports.auth, source)).not.toBeNull();
  });
});
