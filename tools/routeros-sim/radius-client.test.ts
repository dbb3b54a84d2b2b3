import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDisconnect } from '../../src/server/integrations/radius/coa';
import { RawApiClient } from './raw-api-client';
import {
  MIKROTIK,
  T,
  attr,
  chapMatches,
  ipAttr,
  msChapV2Success,
  papPassword,
  startTestRadiusServer,
  vsa,
  type Decision,
  type ReceivedPacket,
  type TestRadiusServer,
} from './radius-test-server';
import { startRouter, type SimRouter } from './router';
import type { SimRadiusClientConfig, SimRadiusSubscriber, SimRouterConfig } from './types';

// Hosts 127.0.66.x belong to this file: routers 127.0.66.1-99, RADIUS servers 127.0.66.100+.
const SECRET = 'sim-radius-secret';
const PASSWORDS: Record<string, string> = { alice: 'alice-pass', bob: 'bob-pass', carol: 'carol-pass' };
const ACCESS_REQUEST = 1;
const ACCT = { Start: 1, Stop: 2, Interim: 3, On: 7, Off: 8 };
const CAUSE = { UserRequest: 1, SessionTimeout: 5, AdminReset: 6, AdminReboot: 7 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Accepts a correct password of any method with the given reply attributes; rejects anything else. */
function acceptKnown(extra: (p: ReceivedPacket) => Buffer[] = () => []): (p: ReceivedPacket) => Decision {
  return (p) => {
    if (p.via === 'acct') return { code: 5 };
    const password = PASSWORDS[p.text(T.UserName) ?? ''];
    if (!password) return { code: 3, attributes: [attr(T.ReplyMessage, 'Authentication failed')] };
    if (p.raw1(T.UserPassword)) return papPassword(p, SECRET) === password ? { code: 2, attributes: extra(p) } : { code: 3 };
    if (p.raw1(T.ChapPassword)) return chapMatches(p, password) ? { code: 2, attributes: extra(p) } : { code: 3 };
    const success = msChapV2Success(p, password);
    return success ? { code: 2, attributes: [success, ...extra(p)] } : { code: 3 };
  };
}

async function server(n: number, decide: (p: ReceivedPacket) => Decision): Promise<TestRadiusServer> {
  const s = await startTestRadiusServer({ host: `127.0.66.${100 + n}`, secret: SECRET, decide });
  cleanups.push(() => s.stop());
  return s;
}

async function router(
  n: number,
  srv: TestRadiusServer,
  subscribers: SimRadiusSubscriber[],
  client: Partial<SimRadiusClientConfig> = {},
  cfg: Partial<SimRouterConfig> = {},
): Promise<SimRouter> {
  const r = await startRouter({
    host: `127.0.66.${n}`,
    apiPort: 0,
    username: 'u',
    password: 'p',
    identity: `sim-bng-${n}`,
    version: '7.18.2 (stable)',
    pools: [{ name: 'pppoe-main', ranges: '10.66.0.2-10.66.0.9' }],
    ...cfg,
    radiusClient: {
      server: `127.0.66.${100 + n}`,
      authPort: srv.authPort,
      acctPort: srv.acctPort,
      secret: SECRET,
      subscribers,
      timeoutMs: 300,
      retries: 2,
      redialSeconds: 0,
      ...client,
    },
  });
  cleanups.push(() => r.stop());
  return r;
}

const sub = (name: string, method: SimRadiusSubscriber['method'], callerId?: string): SimRadiusSubscriber => ({
  name,
  password: PASSWORDS[name],
  method,
  ...(callerId && { callerId }),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(read: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

async function api(r: SimRouter, command: string): Promise<Record<string, string>[]> {
  const c = await RawApiClient.connect(r.host, r.apiPort);
  try {
    await c.login('u', 'p');
    c.send(command);
    const sentences = await c.untilDone();
    return sentences
      .filter((s) => s[0] === '!re')
      .map((s) => Object.fromEntries(s.slice(1).map((w) => [w.slice(1, w.indexOf('=', 1)), w.slice(w.indexOf('=', 1) + 1)])));
  } finally {
    c.close();
  }
}

/** A signed CoA-Request (RFC 5176 §2.3) built by hand; resolves with the reply's code. */
async function coaRequest(r: SimRouter, attributes: Buffer[]): Promise<number> {
  const body = Buffer.concat(attributes);
  const header = Buffer.from([43, 9, 0, 20 + body.length]);
  const authenticator = createHash('md5').update(header).update(Buffer.alloc(16)).update(body).update(SECRET).digest();
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no CoA reply')), 2000);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        resolve(reply[0]);
      });
      socket.send(Buffer.concat([header, authenticator, body]), r.coaPort!, r.host);
    });
  } finally {
    socket.close();
  }
}

const isAcct = (status: number, user?: string) => (p: ReceivedPacket) =>
  p.via === 'acct' && p.status === status && (user === undefined || p.text(T.UserName) === user);

describe('Access-Request', () => {
  it('carries MikroTik PPPoE attributes and a valid Message-Authenticator (first), from the router address, and opens a /ppp active session', async () => {
    const srv = await server(
      1,
      acceptKnown(() => [ipAttr(T.FramedIpAddress, '10.66.5.77'), vsa(MIKROTIK, 8, '10M/50M')]),
    );
    const r = await router(1, srv, [sub('alice', 'pap', '4C:5E:0C:11:22:01')], { interface: 'vlan100', serviceName: 'isp-pppoe' });

    const req = await srv.waitFor((p) => p.code === ACCESS_REQUEST);
    expect(req.from.address).toBe('127.0.66.1');
    expect(req.messageAuthenticatorValid).toBe(true);
    expect(req.messageAuthenticatorFirst).toBe(true);
    expect(req.text(T.UserName)).toBe('alice');
    expect(papPassword(req, SECRET)).toBe('alice-pass');
    expect(req.int(T.ServiceType)).toBe(2); // Framed-User
    expect(req.int(T.FramedProtocol)).toBe(1); // PPP
    expect(req.text(T.NasIdentifier)).toBe('sim-bng-1');
    expect(req.ip(T.NasIpAddress)).toBe('127.0.66.1');
    expect(req.int(T.NasPort)).toBeGreaterThan(0);
    expect(req.int(T.NasPortType)).toBe(15); // Ethernet
    expect(req.text(T.NasPortId)).toBe('vlan100');
    expect(req.text(T.CallingStationId)).toBe('4C:5E:0C:11:22:01');
    expect(req.text(T.CalledStationId)).toBe('isp-pppoe');
    expect(req.text(T.AcctSessionId)).toMatch(/^[0-9a-f]{8}$/);

    const [session] = await until(() => r.getPppActive().length === 1 && r.getPppActive());
    expect(session).toMatchObject({ name: 'alice', address: '10.66.5.77', callerId: '4C:5E:0C:11:22:01', rateLimit: '10M/50M' });
    expect(session.sessionId.replace(/^0x/, '').toLowerCase()).toBe(req.text(T.AcctSessionId));
    const [row] = await api(r, '/ppp/active/print');
    expect(row).toMatchObject({ name: 'alice', address: '10.66.5.77', 'session-id': session.sessionId });
    const [queue] = await api(r, '/queue/simple/print');
    expect(queue).toMatchObject({ name: '<pppoe-alice>', 'max-limit': '10000000/50000000', dynamic: 'true' });
  });

  it('proves CHAP and MS-CHAPv2 passwords the server can check, and takes the address from the Framed-Pool', async () => {
    const srv = await server(
      2,
      acceptKnown(() => [attr(T.FramedPool, 'pppoe-main')]),
    );
    const r = await router(
      2,
      srv,
      [sub('bob', 'chap'), sub('carol', 'mschapv2')],
      {},
      {
        pools: [
          { name: 'pppoe-profile', ranges: '10.66.9.2-10.66.9.9' },
          { name: 'pppoe-main', ranges: '10.66.0.2-10.66.0.9' },
        ],
      },
    );
    await until(() => r.getPppActive().length === 2);
    const bob = await srv.waitFor((p) => p.code === ACCESS_REQUEST && p.text(T.UserName) === 'bob');
    const carol = await srv.waitFor((p) => p.code === ACCESS_REQUEST && p.text(T.UserName) === 'carol');
    expect(chapMatches(bob, 'bob-pass')).toBe(true);
    expect(bob.raw1(T.ChapChallenge)?.length).toBe(16);
    expect(msChapV2Success(carol, 'carol-pass')).not.toBeNull();
    expect(carol.raw1(T.UserPassword)).toBeUndefined();
    // From the top of the pool, one address each.
    expect(new Set(r.getPppActive().map((s) => s.address))).toEqual(new Set(['10.66.0.9', '10.66.0.8']));
  });

  it('follows the RouterOS version: 7.14 sends no Message-Authenticator and takes replies without one', async () => {
    const srv = await server(3, (p) => (p.via === 'acct' ? { code: 5 } : { code: 2, messageAuthenticator: false }));
    const r = await router(3, srv, [sub('alice', 'pap')], {}, { version: '7.14.3 (stable)' });
    const req = await srv.waitFor((p) => p.code === ACCESS_REQUEST);
    expect(req.messageAuthenticatorValid).toBeNull();
    await until(() => r.getPppActive().length === 1);
  });
});

describe('a reply that does not open a session', () => {
  it('Access-Reject: no session, no Start, counted as a reject', async () => {
    const srv = await server(10, (p) =>
      p.via === 'acct' ? { code: 5 } : { code: 3, attributes: [attr(T.ReplyMessage, 'Authentication failed')] },
    );
    const r = await router(10, srv, [sub('alice', 'pap')]);
    await srv.waitFor((p) => p.code === ACCESS_REQUEST);
    await until(() => r.radiusMonitor!.rejects === 1);
    await sleep(300);
    expect(r.getPppActive()).toEqual([]);
    expect(srv.received.filter(isAcct(ACCT.Start))).toEqual([]);
  });

  it('a forged Access-Accept (bad Response Authenticator) or one without Message-Authenticator is dropped as a bad reply', async () => {
    let n = 0;
    const srv = await server(11, (p) => {
      if (p.via === 'acct') return { code: 5 };
      return n++ === 0 ? { code: 2, corrupt: true } : { code: 2, messageAuthenticator: false };
    });
    const r = await router(11, srv, [sub('alice', 'pap')], { retries: 1 });
    await until(() => r.radiusMonitor!.timeouts === 1);
    expect(r.radiusMonitor).toMatchObject({ badReplies: 2, accepts: 0 });
    expect(r.getPppActive()).toEqual([]);
  });

  it('MS-CHAPv2: an Access-Accept without the server proof (MS-CHAP2-Success) is hung up by the CPE', async () => {
    const srv = await server(12, (p) => (p.via === 'acct' ? { code: 5 } : { code: 2 }));
    const r = await router(12, srv, [sub('carol', 'mschapv2')]);
    await until(() => r.radiusMonitor!.accepts === 1);
    await sleep(200);
    expect(r.getPppActive()).toEqual([]);
    expect(srv.received.filter(isAcct(ACCT.Start))).toEqual([]);
  });
});

describe('retransmission', () => {
  it('sends the same request again after each timeout, then takes the late answer', async () => {
    let accessRequests = 0;
    const srv = await server(20, (p) => {
      if (p.via === 'acct') return { code: 5 };
      return ++accessRequests <= 2 ? 'silent' : { code: 2 };
    });
    const r = await router(20, srv, [sub('alice', 'pap')], { timeoutMs: 250, retries: 2 });
    await until(() => r.getPppActive().length === 1);
    const sends = srv.received.filter((p) => p.code === ACCESS_REQUEST);
    expect(sends).toHaveLength(3);
    // Byte for byte the same: the server's duplicate cache recognises it by identifier and authenticator.
    expect(sends[1].raw).toEqual(sends[0].raw);
    expect(sends[2].raw).toEqual(sends[0].raw);
    expect(r.radiusMonitor!.retransmissions).toBe(2);
  });

  it('gives up after the last retry, then the CPE dials again with a new request', async () => {
    const srv = await server(21, (p) => (p.via === 'acct' ? { code: 5 } : 'silent'));
    const r = await router(21, srv, [sub('alice', 'pap')], { timeoutMs: 150, retries: 1, redialSeconds: 0.5, accountingOnOff: false });
    const started = Date.now();
    await until(() => srv.received.filter((p) => p.code === ACCESS_REQUEST).length >= 3, 3000);
    const sends = srv.received.filter((p) => p.code === ACCESS_REQUEST);
    expect(sends[1].raw).toEqual(sends[0].raw);
    expect(sends[2].authenticator).not.toEqual(sends[0].authenticator);
    expect(sends[2].text(T.AcctSessionId)).not.toBe(sends[0].text(T.AcctSessionId));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150 * 2 + 500 - 50);
    expect(r.radiusMonitor!.timeouts).toBeGreaterThanOrEqual(1);
    expect(r.getPppActive()).toEqual([]);
  });

  it('retransmits accounting too, unchanged', async () => {
    let starts = 0;
    const srv = await server(22, (p) =>
      p.via === 'acct' ? (p.status === ACCT.Start && ++starts === 1 ? 'silent' : { code: 5 }) : { code: 2 },
    );
    const r = await router(22, srv, [sub('alice', 'pap')], { timeoutMs: 200 });
    await until(() => srv.received.filter(isAcct(ACCT.Start)).length === 2);
    const [first, second] = srv.received.filter(isAcct(ACCT.Start));
    expect(second.raw).toEqual(first.raw);
    await until(() => r.radiusMonitor!.accountingResponses >= 2); // Accounting-On and the Start
  });
});

describe('accounting', () => {
  it('Accounting-On before any Access-Request, then Start, Interim-Updates with growing counters, and Stop on /ppp/active/remove', async () => {
    let ons = 0;
    const answer = acceptKnown(() => [
      vsa(MIKROTIK, 8, '400G/800G'),
      attr(T.AcctInterimInterval, 1), // wins over the router's interimSeconds
      attr(T.Class, 'plan=home'),
    ]);
    // The first Accounting-On goes unanswered: nothing may be dialled before the retry is answered.
    const srv = await server(30, (p) => (isAcct(ACCT.On)(p) && ++ons === 1 ? 'silent' : answer(p)));
    const r = await router(30, srv, [sub('alice', 'pap')], { interimSeconds: 60 });

    await srv.waitFor((p) => p.code === ACCESS_REQUEST);
    const kinds = srv.received.map((p) => (p.code === ACCESS_REQUEST ? 'access' : p.status));
    expect(kinds.slice(0, 3)).toEqual([ACCT.On, ACCT.On, 'access']);
    const on = srv.received[0];
    expect(on.ip(T.NasIpAddress)).toBe('127.0.66.30');
    expect(on.text(T.NasIdentifier)).toBe('sim-bng-30');

    const start = await srv.waitFor(isAcct(ACCT.Start, 'alice'));
    const sessionId = start.text(T.AcctSessionId);
    const access = srv.received.find((p) => p.code === ACCESS_REQUEST)!;
    expect(sessionId).toBe(access.text(T.AcctSessionId));
    expect(start.ip(T.FramedIpAddress)).toBe('10.66.0.9');
    expect(start.int(T.AcctAuthentic)).toBe(1); // RADIUS
    expect(start.int(T.NasPort)).toBe(access.int(T.NasPort));
    expect(start.text(T.Class)).toBe('plan=home');
    expect(start.int(T.EventTimestamp)).toBeGreaterThan(0);

    await until(() => srv.received.filter(isAcct(ACCT.Interim)).length >= 2, 4000);
    const [i1, i2] = srv.received.filter(isAcct(ACCT.Interim));
    expect(i2.bytes('in')).toBeGreaterThan(i1.bytes('in'));
    expect(i2.bytes('out')).toBeGreaterThan(i1.bytes('out'));
    expect(i2.int(T.AcctSessionTime)).toBeGreaterThan(i1.int(T.AcctSessionTime)!);
    // 800 Gbit/s downstream wraps the 32-bit octet counter within a second.
    expect(i1.int(T.AcctOutputGigawords)).toBeGreaterThan(0);
    expect(i2.text(T.AcctSessionId)).toBe(sessionId);

    const [row] = await api(r, '/ppp/active/print');
    const c = await RawApiClient.connect(r.host, r.apiPort);
    await c.login('u', 'p');
    c.send('/ppp/active/remove', `=.id=${row['.id']}`);
    await c.untilDone();
    c.close();

    const stop = await srv.waitFor(isAcct(ACCT.Stop, 'alice'));
    expect(stop.text(T.AcctSessionId)).toBe(sessionId);
    expect(stop.int(T.AcctTerminateCause)).toBe(CAUSE.AdminReset);
    expect(stop.bytes('out')).toBeGreaterThan(i2.bytes('out'));
    expect(stop.int(T.AcctSessionTime)).toBeGreaterThanOrEqual(i2.int(T.AcctSessionTime)!);
    expect(r.getPppActive()).toEqual([]);
    for (const p of srv.received.filter((x) => x.via === 'acct')) {
      expect(p.requestAuthenticatorValid).toBe(true);
      expect(p.from.address).toBe('127.0.66.30');
    }
  });

  it('Stop on a CoA Disconnect-Request naming the Acct-Session-Id; a CoA-Request changes the rate limit; the CPE redials', async () => {
    const srv = await server(
      31,
      acceptKnown(() => [vsa(MIKROTIK, 8, '10M/50M')]),
    );
    const r = await router(31, srv, [sub('bob', 'chap')], { redialSeconds: 0.3 }, { coa: { port: 0, secret: SECRET } });
    const start = await srv.waitFor(isAcct(ACCT.Start, 'bob'));
    const target = { host: r.host, port: r.coaPort!, secret: SECRET, timeoutMs: 2000 };
    const sessionId = start.text(T.AcctSessionId)!;

    expect(await coaRequest(r, [attr(T.UserName, 'bob'), attr(T.AcctSessionId, sessionId), vsa(MIKROTIK, 8, '20M/100M')])).toBe(44);
    expect(r.getPppActive()[0].rateLimit).toBe('20M/100M');

    const disconnect = await sendDisconnect({
      ...target,
      attributes: [
        ['User-Name', 'bob'],
        ['Acct-Session-Id', sessionId],
      ],
    });
    expect(disconnect.result).toBe('ack');
    const stop = await srv.waitFor(isAcct(ACCT.Stop, 'bob'));
    expect(stop.text(T.AcctSessionId)).toBe(sessionId);
    expect(stop.int(T.AcctTerminateCause)).toBe(CAUSE.AdminReset);

    const again = await srv.waitFor((p) => isAcct(ACCT.Start, 'bob')(p) && p.text(T.AcctSessionId) !== sessionId, 3000);
    expect(again.text(T.AcctSessionId)).not.toBe(sessionId);
    await until(() => r.getPppActive().length === 1);
  });

  it('Stop with User-Request when the subscriber hangs up, Session-Timeout when the reply set one', async () => {
    const srv = await server(
      32,
      acceptKnown((p) => (p.text(T.UserName) === 'carol' ? [attr(T.SessionTimeout, 1)] : [])),
    );
    const r = await router(32, srv, [sub('alice', 'pap'), sub('carol', 'mschapv2')]);
    await until(() => r.getPppActive().length === 2);
    const alice = r.getPppActive().find((s) => s.name === 'alice')!;
    expect(r.hangUpPpp(alice.id)).toBe(true);
    expect((await srv.waitFor(isAcct(ACCT.Stop, 'alice'))).int(T.AcctTerminateCause)).toBe(CAUSE.UserRequest);
    expect((await srv.waitFor(isAcct(ACCT.Stop, 'carol'), 3000)).int(T.AcctTerminateCause)).toBe(CAUSE.SessionTimeout);
  });

  it('stop(): a Stop (Admin-Reboot) for every session and Accounting-Off, within about one timeout even when nobody answers', async () => {
    const known = acceptKnown();
    // Stops answered late: Accounting-Off must wait for them, or it could close the sessions before their counters land.
    const srv = await server(33, (p) => (isAcct(ACCT.Stop)(p) ? { code: 5, delayMs: 250 } : known(p)));
    const r = await router(33, srv, [sub('alice', 'pap'), sub('bob', 'chap')], { timeoutMs: 3000 });
    await until(() => srv.received.filter(isAcct(ACCT.Start)).length === 2);
    await r.stop();
    const stops = srv.received.filter(isAcct(ACCT.Stop));
    expect(stops.map((p) => p.int(T.AcctTerminateCause))).toEqual([CAUSE.AdminReboot, CAUSE.AdminReboot]);
    const offs = srv.received.filter(isAcct(ACCT.Off));
    expect(offs).toHaveLength(1);
    expect(offs[0].at - Math.max(...stops.map((p) => p.at))).toBeGreaterThanOrEqual(240);

    const silent = await server(34, (p) => (p.code === ACCESS_REQUEST ? { code: 2 } : 'silent'));
    const r2 = await router(34, silent, [sub('alice', 'pap')], { timeoutMs: 5000, accountingOnOff: false });
    await until(() => r2.getPppActive().length === 1);
    const t0 = Date.now();
    await r2.stop();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(silent.received.filter(isAcct(ACCT.Stop))).toHaveLength(1);
  });
});

describe('session ids', () => {
  it('a restarted router does not reuse the Acct-Session-Ids of its previous run', async () => {
    const cfg = { host: '127.0.66.50', apiPort: 0, username: 'u', password: 'p', pppActive: [{ name: 'alice', address: '10.0.0.2' }] };
    const first = await startRouter(cfg);
    const [before] = first.getPppActive();
    await first.stop();
    await sleep(1100);
    const second = await startRouter(cfg);
    cleanups.push(() => second.stop());
    const [after] = second.getPppActive();
    expect(after.id).toBe(before.id);
    expect(after.sessionId).toMatch(/^0x81[0-9A-F]{6}$/);
    expect(after.sessionId).not.toBe(before.sessionId);
  });
});

describe('a RADIUS server that misbehaves', () => {
  it('survives garbage and replies from elsewhere, and still opens the session', async () => {
    const srv = await server(40, acceptKnown());
    const r = await router(40, srv, [sub('alice', 'pap')], { accountingOnOff: false, timeoutMs: 400 });
    const req = await srv.waitFor((p) => p.code === ACCESS_REQUEST);
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.66.141', resolve));
    for (const junk of [Buffer.alloc(3), Buffer.from([2, req.identifier, 0, 20, ...Buffer.alloc(16)]), Buffer.alloc(4096, 0xff)]) {
      s.send(junk, req.from.port, req.from.address);
    }
    await sleep(100);
    s.close();
    await until(() => r.getPppActive().length === 1);
    expect(r.radiusMonitor!.badReplies).toBeGreaterThanOrEqual(3);
  });
});
