import { createRequire } from 'node:module';
import net from 'node:net';
import { format } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { encodeSentences, SentenceReader } from '../../../../tools/routeros-sim/framing';
import { startRouter, type SimRouter, type SimRouterConfig } from '../../../../tools/routeros-sim/index';
import {
  readIpPools,
  readPppActive,
  readRadiusIncoming,
  readRadiusServers,
  readSystemInfo,
  removePppActive,
  routerDeadlines,
  RouterOsError,
  withRouterOs,
  type RouterOsTarget,
  type SessionDeadlines,
} from './index';
import { socketErrorToRouterOs } from './errors';
import { MAX_REPLY_BYTES, MAX_ROWS_PER_REPLY, MAX_WORD_BYTES, MAX_WORDS_PER_SENTENCE } from './limits';
import { createTagSource } from './node-routeros-patch';

// Hosts 127.0.50.x belong to this file.
const USER = 'panel';
const PASSWORD = 'Pw-9f3c-never-in-a-message';

const routers: SimRouter[] = [];
const servers: net.Server[] = [];
const failures: RouterOsError[] = [];
const processErrors: unknown[] = [];
const debugLines: string[] = [];
const onProcessError = (err: unknown) => processErrors.push(err);

const debugModule = () =>
  createRequire(import.meta.url)('debug') as { enable(ns: string): void; disable(): string; log: (...args: unknown[]) => void };

beforeAll(() => {
  process.on('uncaughtException', onProcessError);
  process.on('unhandledRejection', onProcessError);
  // node-routeros logs through `debug`; turn every namespace on to prove the password never reaches it.
  const debug = createRequire(import.meta.url)('debug') as {
    enable(ns: string): void;
    disable(): string;
    log: (...args: unknown[]) => void;
  };
  debug.enable('routeros-api:*');
  debug.log = (...args: unknown[]) => debugLines.push(format(...args));
});

afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

afterAll(() => {
  process.off('uncaughtException', onProcessError);
  process.off('unhandledRejection', onProcessError);
  createRequire(import.meta.url)('debug').disable();
});

async function sim(n: number, cfg: Partial<SimRouterConfig> = {}): Promise<SimRouter> {
  const r = await startRouter({ host: `127.0.50.${n}`, apiPort: 0, username: USER, password: PASSWORD, ...cfg });
  routers.push(r);
  return r;
}

function target(r: SimRouter, over: Partial<RouterOsTarget> = {}): RouterOsTarget {
  return { host: r.host, port: r.apiPort, username: USER, password: PASSWORD, tls: false, ...over };
}

/** The default profile with the waits a test shortens. */
function deadlines(over: Partial<SessionDeadlines>): SessionDeadlines {
  const { connectMs, commandMs } = routerDeadlines();
  return { connectMs, commandMs, ...over };
}

/** Runs `work`, expects a RouterOsError, and keeps it for the no-password check. */
async function failure(work: Promise<unknown>): Promise<RouterOsError> {
  const err = await work.then(
    () => {
      throw new Error('expected a RouterOsError, got success');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RouterOsError);
  failures.push(err as RouterOsError);
  return err as RouterOsError;
}

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await work;
  return [value, Date.now() - started];
}

async function noOpenConnections(r: SimRouter): Promise<void> {
  await expect.poll(() => r.openConnections, { timeout: 1000, interval: 10 }).toBe(0);
}

const FLEET_POOLS = [
  { name: 'pppoe-main', ranges: '10.10.0.2-10.10.3.254' },
  { name: 'biz', ranges: '10.20.0.0/24' },
];

describe('talking to healthy routers', () => {
  it('reads every menu the panel needs from a v7 router', async () => {
    const r = await sim(1, {
      identity: 'core-1',
      version: '7.14.3 (stable)',
      boardName: 'CCR2004-16G-2S+',
      pools: FLEET_POOLS,
      pppActive: [{ name: 'alice', address: '10.10.0.17' }],
      radius: [{ service: 'ppp,login', address: '10.0.0.5', secret: 'rad-secret', disabled: true }],
      radiusIncoming: { accept: true, port: 1700 },
    });
    const result = await withRouterOs(target(r), async (s) => ({
      system: await readSystemInfo(s),
      pools: await readIpPools(s),
      ppp: await readPppActive(s),
      radius: await readRadiusServers(s),
      incoming: await readRadiusIncoming(s),
    }));
    expect(result.system).toMatchObject({ version: '7.14.3 (stable)', identity: 'core-1', boardName: 'CCR2004-16G-2S+' });
    expect(result.system.uptime).toMatch(/^\d+w|\d+d/);
    expect(result.system.cpuLoad).toEqual(expect.any(Number));
    expect(result.pools).toEqual(FLEET_POOLS);
    expect(result.ppp).toEqual([
      {
        id: expect.stringMatching(/^\*8/),
        name: 'alice',
        address: '10.10.0.17',
        service: 'pppoe',
        sessionId: expect.stringMatching(/^0x81/),
      },
    ]);
    expect(result.radius).toEqual([
      { service: ['ppp', 'login'], address: '10.0.0.5', secret: 'rad-secret', authPort: 1812, acctPort: 1813, disabled: true },
    ]);
    expect(result.incoming).toEqual({ accept: true, port: 1700 });
    await noOpenConnections(r);
  });

  it('logs in to a pre-6.43 router with the MD5 challenge', async () => {
    const r = await sim(2, { loginMode: 'challenge', version: '6.42.12 (long-term)', pools: FLEET_POOLS });
    const [system, pools] = await withRouterOs(target(r), (s) => Promise.all([readSystemInfo(s), readIpPools(s)]));
    expect(system.version).toBe('6.42.12 (long-term)');
    expect(pools).toEqual(FLEET_POOLS);
  });

  it('speaks api-ssl to a self-signed certificate', async () => {
    const r = await sim(3, { apiSslPort: 0, identity: 'tls-router' });
    const system = await withRouterOs(target(r, { port: r.apiSslPort!, tls: true }), readSystemInfo);
    expect(system.identity).toBe('tls-router');
  });

  it('speaks api-ssl to a router without a certificate (anonymous DH)', async () => {
    const r = await sim(4, { apiSslPort: 0, apiSslCertificate: 'none', identity: 'no-cert' });
    const system = await withRouterOs(target(r, { port: r.apiSslPort!, tls: true, tlsAllowAnonymous: true }), readSystemInfo);
    expect(system.identity).toBe('no-cert');
  });

  it('understands the !empty reply of RouterOS 7.18+', async () => {
    const r = await sim(5, { emptyReplies: true, version: '7.18.2 (stable)' });
    const [ppp, raw, count] = await withRouterOs(target(r), async (s) => [
      await readPppActive(s),
      await s.run('/ppp/active/print'),
      await s.run('/ppp/active/print', ['=count-only=']),
    ]);
    expect(ppp).toEqual([]);
    expect(raw).toEqual([]);
    expect(count).toEqual([{ ret: '0' }]);
  });

  it('reports a trap with the router text and keeps the session usable', async () => {
    const r = await sim(6, { identity: 'after-trap' });
    await withRouterOs(target(r), async (s) => {
      const err = await failure(s.run('/foo/bar'));
      expect(err).toMatchObject({ kind: 'trap', command: '/foo/bar', routerMessage: 'no such command or directory (foo)' });
      expect(err.message).toBe('router said: no such command or directory (foo)');
      expect((await readSystemInfo(s)).identity).toBe('after-trap');
    });
  });

  it('removes a PPP session and reports an unknown id as the router does', async () => {
    const r = await sim(7, {
      pppActive: [
        { name: 'alice', address: '10.0.0.2' },
        { name: 'bob', address: '10.0.0.3' },
      ],
    });
    await withRouterOs(target(r), async (s) => {
      const [alice] = await readPppActive(s);
      await removePppActive(s, alice.id);
      expect((await readPppActive(s)).map((p) => p.name)).toEqual(['bob']);
      const err = await failure(removePppActive(s, alice.id));
      expect(err).toMatchObject({ kind: 'trap', routerMessage: 'no such item (4)' });
      await expect(removePppActive(s, '*1,*2')).rejects.toThrow(RangeError);
    });
  });

  it('runs commands concurrently on one session', async () => {
    const r = await sim(8, { pools: FLEET_POOLS, identity: 'busy' });
    const results = await withRouterOs(target(r), (s) =>
      Promise.all([readIpPools(s), readSystemInfo(s), readPppActive(s), readRadiusIncoming(s), readIpPools(s)]),
    );
    expect(results[0]).toEqual(FLEET_POOLS);
    expect(results[1].identity).toBe('busy');
    expect(results[4]).toEqual(FLEET_POOLS);
  });

  it('closes the connection when the callback throws', async () => {
    const r = await sim(9);
    await expect(
      withRouterOs(target(r), async () => {
        throw new Error('caller bug');
      }),
    ).rejects.toThrow('caller bug');
    await noOpenConnections(r);
  });

  it('streams a ping to completion within a per-call deadline', async () => {
    const r = await sim(10);
    const rows = await withRouterOs(target(r, { deadlines: deadlines({ commandMs: 50 }) }), (s) =>
      s.run('/ping', ['=address=1.1.1.1', '=count=3', '=interval=30ms'], { timeoutMs: 2000 }),
    );
    expect(rows.map((row) => row.seq)).toEqual(['0', '1', '2']);
  });
});

describe('failing routers: the process survives, the deadline holds, the message is clear', () => {
  it('wrong password, v7', async () => {
    const r = await sim(20);
    const err = await failure(withRouterOs(target(r, { password: `${PASSWORD}-typo` }), readSystemInfo));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('API login refused: invalid user name or password (6)');
    await noOpenConnections(r);
  });

  it('wrong password, pre-6.43 challenge', async () => {
    const r = await sim(21, { loginMode: 'challenge' });
    const err = await failure(withRouterOs(target(r, { password: 'nope' }), readSystemInfo));
    expect(err).toMatchObject({ kind: 'auth', message: 'API login refused: cannot log in' });
  });

  it('refuse', async () => {
    const r = await sim(22, { fault: 'refuse' });
    const [err, elapsed] = await timed(failure(withRouterOs(target(r), readSystemInfo)));
    expect(err.kind).toBe('refused');
    expect(err.message).toContain(`connection refused by 127.0.50.22:${r.apiPort}`);
    expect(elapsed).toBeLessThan(500);
  });

  it('silent: gives up at the default 3 s deadline', async () => {
    const r = await sim(23, { fault: 'silent' });
    const [err, elapsed] = await timed(failure(withRouterOs(target(r), readSystemInfo)));
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain(`no answer from 127.0.50.23:${r.apiPort} within 3 s`);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(3500);
    await noOpenConnections(r);
  });

  it('silent api-ssl: the TLS handshake is bounded by the same deadline', async () => {
    const r = await sim(24, { fault: 'silent', apiSslPort: 0 });
    const [err, elapsed] = await timed(
      failure(withRouterOs(target(r, { port: r.apiSslPort!, tls: true, deadlines: deadlines({ connectMs: 400 }) }), readSystemInfo)),
    );
    expect(err.message).toContain('within 0.4 s (TCP connected, TLS handshake not answered)');
    expect(elapsed).toBeLessThan(900);
  });

  it('reset mid-reply', async () => {
    const r = await sim(25, { fault: 'reset', pools: FLEET_POOLS });
    const [err, elapsed] = await timed(failure(withRouterOs(target(r), readIpPools)));
    expect(err).toMatchObject({ kind: 'reset', command: '/ip/pool/print' });
    expect(err.message).toBe('connection reset by router during /ip/pool/print');
    expect(elapsed).toBeLessThan(1000);
  });

  it('garbage', async () => {
    const r = await sim(26, { fault: 'garbage' });
    const [err, elapsed] = await timed(failure(withRouterOs(target(r), readIpPools)));
    expect(err.kind).toBe('protocol');
    expect(err.message).toMatch(/^router sent an unreadable reply/);
    expect(elapsed).toBeLessThan(1000);
  });

  it('fatal at login, and fatal in the middle of a session', async () => {
    const r = await sim(27, { fault: 'fatal' });
    const err = await failure(withRouterOs(target(r), readIpPools));
    expect(err).toMatchObject({ kind: 'fatal', message: 'router closed the session: too many sessions (simulated fault)' });

    await r.setFault('none');
    const late = await failure(
      withRouterOs(target(r), async (s) => {
        await readSystemInfo(s);
        await r.setFault('fatal');
        return readIpPools(s);
      }),
    );
    expect(late).toMatchObject({ kind: 'fatal', command: '/ip/pool/print' });
  });

  it('fragment: tiny chunks and a lone final 0x00 still read correctly', async () => {
    const r = await sim(28, { fault: 'fragment', pools: FLEET_POOLS, pppActive: [{ name: 'x', address: '10.1.1.1' }] });
    const [pools, ppp] = await withRouterOs(target(r), async (s) => [await readIpPools(s), await readPppActive(s)] as const);
    expect(pools).toEqual(FLEET_POOLS);
    expect(ppp.map((p) => p.name)).toEqual(['x']);
  });

  it('slow within the deadlines', async () => {
    const r = await sim(29, { fault: 'slow', slowMs: 150, pools: FLEET_POOLS });
    const pools = await withRouterOs(target(r, { deadlines: deadlines({ connectMs: 1000, commandMs: 1000 }) }), readIpPools);
    expect(pools).toEqual(FLEET_POOLS);
  });

  it('slow past the command deadline', async () => {
    const r = await sim(30, { fault: 'slow', slowMs: 300 });
    const [err, elapsed] = await timed(
      failure(withRouterOs(target(r, { deadlines: deadlines({ connectMs: 1000, commandMs: 100 }) }), readIpPools)),
    );
    expect(err).toMatchObject({ kind: 'timeout', command: '/ip/pool/print' });
    expect(err.message).toBe(`no answer from 127.0.50.30:${r.apiPort} to /ip/pool/print within 0.1 s`);
    // ~300 ms login + 100 ms command deadline.
    expect(elapsed).toBeLessThan(700);
    await noOpenConnections(r);
  });

  it('slow past the login deadline', async () => {
    const r = await sim(31, { fault: 'slow', slowMs: 1000 });
    const [err, elapsed] = await timed(failure(withRouterOs(target(r, { deadlines: deadlines({ connectMs: 250 }) }), readIpPools)));
    expect(err.message).toContain('within 0.25 s (TCP connected, API login not answered)');
    expect(elapsed).toBeLessThan(600);
  });

  it('a router that goes down mid-session', async () => {
    const r = await sim(32, { pools: FLEET_POOLS });
    const err = await failure(
      withRouterOs(target(r), async (s) => {
        await readIpPools(s);
        await r.setFault('refuse');
        return readIpPools(s);
      }),
    );
    expect(err.kind).toBe('reset');
    expect(err.message).toMatch(/^router closed the connection/);
  });

  // Plain node-routeros crashes the process here: the TLS socket emits 'end' (the connector drops
  // all its listeners) and then 'error', which the connector re-emits with nobody listening.
  it('TLS to a plain API port', async () => {
    const r = await sim(33);
    const [err, elapsed] = await timed(
      failure(withRouterOs(target(r, { tls: true, deadlines: deadlines({ connectMs: 1000 }) }), readIpPools)),
    );
    expect(['tls', 'timeout']).toContain(err.kind);
    expect(elapsed).toBeLessThan(1500);
  });

  it('plain API to an api-ssl port', async () => {
    const r = await sim(34, { apiSslPort: 0 });
    const [err, elapsed] = await timed(
      failure(withRouterOs(target(r, { port: r.apiSslPort!, deadlines: deadlines({ connectMs: 1000 }) }), readIpPools)),
    );
    expect(['protocol', 'reset']).toContain(err.kind);
    expect(elapsed).toBeLessThan(1500);
  });

  it('maps socket errors a loopback cannot produce', () => {
    const at = { during: 'connect', command: null };
    const errno = (code: string) => Object.assign(new Error(''), { code });
    expect(socketErrorToRouterOs(errno('EHOSTUNREACH'), '10.9.9.9:8728', 'tcp', at)).toMatchObject({
      kind: 'unreachable',
      message: '10.9.9.9:8728 is unreachable: no route to host (EHOSTUNREACH)',
    });
    expect(socketErrorToRouterOs(errno('ENOTFOUND'), 'nas.example:8728', 'tcp', at).kind).toBe('unreachable');
    expect(socketErrorToRouterOs(errno('ETIMEDOUT'), '10.9.9.9:8728', 'tcp', at).kind).toBe('timeout');
    const ssl = Object.assign(new Error('x'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' });
    expect(socketErrorToRouterOs(ssl, '10.9.9.9:8729', 'tls', { during: 'TLS handshake', command: null }).message).toBe(
      'TLS handshake failed: wrong version number (is 10.9.9.9:8729 an api-ssl port?)',
    );
  });
});

/** A misbehaving router written sentence by sentence, for hazards the simulator does not model. */
async function evilRouter(n: number, answer: (words: string[], write: (s: string[][]) => void, socket: net.Socket) => void) {
  const server = net.createServer((socket) => {
    const reader = new SentenceReader();
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const words of reader.feed(chunk)) answer(words, (s) => socket.write(encodeSentences(s)), socket);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, `127.0.50.${n}`, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { host: `127.0.50.${n}`, port, username: USER, password: PASSWORD, tls: false } satisfies RouterOsTarget;
}

const tagOf = (words: string[]) => words.find((w) => w.startsWith('.tag='))!;

describe('node-routeros hazards', () => {
  it('ignores replies on tags nobody waits for (UNREGISTEREDTAG)', async () => {
    const t = await evilRouter(40, (words, write) => {
      const tag = tagOf(words);
      if (words[0] === '/login') return write([['!done', tag]]);
      write([
        ['!re', '.tag=stale', '=name=ghost'],
        ['!done', '.tag=stale'],
        ['!re', '=name=untagged'],
        ['!re', tag, '=name=real'],
        ['!done', tag],
      ]);
    });
    expect(await withRouterOs(t, (s) => s.run('/system/identity/print'))).toEqual([{ name: 'real' }]);
  });

  it('treats an unknown reply word as unreadable instead of throwing UNKNOWNREPLY', async () => {
    const t = await evilRouter(41, (words, write) => {
      const tag = tagOf(words);
      if (words[0] === '/login') return write([['!done', tag]]);
      write([
        ['!weird', tag],
        ['!done', tag],
      ]);
    });
    const err = await failure(withRouterOs(t, (s) => s.run('/system/identity/print')));
    expect(err.kind).toBe('protocol');
  });

  it('survives a login answered with rows (a floating Promise.reject in node-routeros)', async () => {
    const t = await evilRouter(42, (words, write) => {
      const tag = tagOf(words);
      if (words[0] === '/login')
        return write([
          ['!re', tag, '=a=1'],
          ['!re', tag, '=b=2'],
          ['!done', tag],
        ]);
      write([
        ['!re', tag, '=name=ok'],
        ['!done', tag],
      ]);
    });
    expect(await withRouterOs(t, (s) => s.run('/system/identity/print'))).toEqual([{ name: 'ok' }]);
  });

  it('reports a reset during login', async () => {
    const t = await evilRouter(43, (_words, _write, socket) => socket.resetAndDestroy());
    const err = await failure(withRouterOs(t, readSystemInfo));
    expect(err).toMatchObject({ kind: 'reset', message: 'connection reset by router during login' });
  });

  it('delivers the last !done even when its 0x00 arrives alone, much later', async () => {
    const t = await evilRouter(44, (words, write, socket) => {
      const tag = tagOf(words);
      if (words[0] === '/login') return write([['!done', tag]]);
      const bytes = encodeSentences([
        ['!re', tag, '=name=late'],
        ['!done', tag],
      ]);
      socket.write(bytes.subarray(0, -1));
      setTimeout(() => socket.write(bytes.subarray(-1)), 50);
    });
    expect(await withRouterOs(t, (s) => s.run('/system/identity/print'))).toEqual([{ name: 'late' }]);
  });

  it('a reset on an established TLS session does not escape', async () => {
    const r = await sim(45, { apiSslPort: 0, pools: FLEET_POOLS });
    const err = await failure(
      withRouterOs(target(r, { port: r.apiSslPort!, tls: true }), async (s) => {
        await readIpPools(s);
        await r.setFault('reset');
        return readIpPools(s);
      }),
    );
    expect(err.kind).toBe('reset');
  });
});

/** One sentence repeated `count` times, encoded once: replies of any size without building them word by word. */
function repeated(sentence: string[], count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, () => encodeSentences([sentence])));
}

describe('replies over the limits', () => {
  // Formatting a debug line per row would dominate these 262k-row replies; the secrets check below
  // still sees every other test's lines.
  beforeAll(() => debugModule().disable());
  afterAll(() => debugModule().enable('routeros-api:*'));

  /** A router that answers `command` with `reply(tag)` and everything else with one row; it logs what it gets. */
  async function floodRouter(n: number, command: string, reply: (tag: string) => Buffer) {
    const received: string[][] = [];
    const t = await evilRouter(n, (words, write, socket) => {
      received.push(words);
      const tag = tagOf(words);
      if (words[0] === '/login' || words[0] === '/cancel') return write([['!done', tag]]);
      if (words[0] === command) return void socket.write(reply(tag));
      write([
        ['!re', tag, '=name=still-here'],
        ['!done', tag],
      ]);
    });
    return { t, received };
  }

  it('fails a command with more rows than MAX_ROWS_PER_REPLY, cancels it, and keeps the session', async () => {
    const { t, received } = await floodRouter(50, '/ppp/active/print', (tag) =>
      Buffer.concat([repeated(['!re', tag, '=name=u'], MAX_ROWS_PER_REPLY + 1), encodeSentences([['!done', tag]])]),
    );
    await withRouterOs(t, async (s) => {
      const err = await failure(s.run('/ppp/active/print', [], { timeoutMs: 5000 }));
      expect(err).toMatchObject({ kind: 'too-large', command: '/ppp/active/print' });
      expect(err.message).toBe(`router sent more than ${MAX_ROWS_PER_REPLY} rows in reply to /ppp/active/print`);
      expect(await s.run('/system/identity/print')).toEqual([{ name: 'still-here' }]);
    });
    const flooded = tagOf(received.find((w) => w[0] === '/ppp/active/print')!).slice('.tag='.length);
    expect(received.some((w) => w[0] === '/cancel' && w.includes(`=tag=${flooded}`))).toBe(true);
  });

  it('accepts exactly MAX_ROWS_PER_REPLY rows', async () => {
    const { t } = await floodRouter(51, '/ppp/active/print', (tag) =>
      Buffer.concat([repeated(['!re', tag, '=name=u'], MAX_ROWS_PER_REPLY), encodeSentences([['!done', tag]])]),
    );
    const rows = await withRouterOs(t, (s) => s.run('/ppp/active/print', [], { timeoutMs: 5000 }));
    expect(rows).toHaveLength(MAX_ROWS_PER_REPLY);
  });

  it('fails a command whose reply is over MAX_REPLY_BYTES', async () => {
    const value = 'v'.repeat(MAX_WORD_BYTES - 100);
    const rows = Math.ceil(MAX_REPLY_BYTES / value.length) + 1;
    const { t } = await floodRouter(52, '/ip/pool/print', (tag) =>
      Buffer.concat([repeated(['!re', tag, `=comment=${value}`], rows), encodeSentences([['!done', tag]])]),
    );
    await withRouterOs(t, async (s) => {
      const err = await failure(s.run('/ip/pool/print', [], { timeoutMs: 5000 }));
      expect(err).toMatchObject({ kind: 'too-large', message: 'router sent more than 32 MiB in reply to /ip/pool/print' });
      expect(await s.run('/system/identity/print')).toEqual([{ name: 'still-here' }]);
    });
  });

  it('closes the connection on a value over MAX_WORD_BYTES, as soon as its length is announced', async () => {
    const { t } = await floodRouter(53, '/system/resource/print', (tag) =>
      // Announces a 2 MiB value, then sends nothing more: waiting for it would hang until the deadline.
      Buffer.concat([Buffer.of(3), Buffer.from('!re'), Buffer.of(tag.length), Buffer.from(tag), Buffer.of(0xe0, 0x20, 0x00, 0x00)]),
    );
    const [err, elapsed] = await timed(failure(withRouterOs({ ...t, deadlines: deadlines({ commandMs: 5000 }) }, readSystemInfo)));
    expect(err).toMatchObject({ kind: 'too-large', command: '/system/resource/print' });
    expect(err.message).toBe('router sent a 2 MiB value (limit 1 MiB) in reply to /system/resource/print; connection closed');
    expect(elapsed).toBeLessThan(2000);
  });

  it('closes the connection on a row with more than MAX_WORDS_PER_SENTENCE attributes', async () => {
    const attributes = Array.from({ length: MAX_WORDS_PER_SENTENCE + 1 }, (_, i) => `=a${i}=1`);
    const { t } = await floodRouter(54, '/system/resource/print', (tag) =>
      encodeSentences([
        ['!re', tag, ...attributes],
        ['!done', tag],
      ]),
    );
    const err = await failure(withRouterOs(t, readSystemInfo));
    expect(err).toMatchObject({ kind: 'too-large' });
    expect(err.message).toBe(
      `router sent more than ${MAX_WORDS_PER_SENTENCE} attributes in one row in reply to /system/resource/print; connection closed`,
    );
  });
});

describe('command tags', () => {
  it('never repeats a tag', () => {
    const next = createTagSource();
    const tags = Array.from({ length: 100_000 }, next);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('gives each of many parallel commands on one session its own rows', async () => {
    const pools = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, ranges: `10.${i >> 8}.${i & 255}.0/24` }));
    const r = await sim(60, { pools });
    const results = await withRouterOs(target(r), (s) =>
      Promise.all(pools.map((p) => s.run('/ip/pool/print', [`?name=${p.name}`, '=.proplist=name,ranges']))),
    );
    expect(results).toEqual(pools.map((p) => [p]));
  });
});

describe('nothing sent can smuggle a word', () => {
  it.each([
    ['username', { username: `${USER}\n=password=x` }, 'the API username'],
    ['password', { password: `${PASSWORD}\r\n` }, 'the API password'],
    ['password', { password: `${PASSWORD}\0` }, 'the API password'],
  ])('refuses CR, LF or NUL in the login %s before connecting', async (_field, over, what) => {
    const r = await sim(70);
    const err = await failure(withRouterOs(target(r, over), readSystemInfo));
    expect(err).toMatchObject({ kind: 'invalid', command: 'login' });
    expect(err.message).toBe(`${what} contains a line break or NUL character, which the panel never sends to a router (nothing was sent)`);
    expect(r.acceptedConnections).toBe(0);
  });

  it('refuses CR, LF or NUL in a command or a parameter, sends nothing, and keeps the session', async () => {
    const r = await sim(71, { pools: FLEET_POOLS });
    await withRouterOs(target(r), async (s) => {
      const logged = r.commandLog.length;
      const param = await failure(s.run('/ip/pool/print', ['=.proplist=name', '?name=biz\n/system/reboot']));
      expect(param).toMatchObject({ kind: 'invalid', command: '/ip/pool/print' });
      expect(param.message).toBe(
        'parameter ?name= of /ip/pool/print contains a line break or NUL character, which the panel never sends to a router (nothing was sent)',
      );
      const bare = await failure(s.run('/ip/pool/print', ['secret\0value']));
      expect(bare.message).toMatch(/^parameter #1 of \/ip\/pool\/print contains/);
      expect(bare.message).not.toContain('secret');
      const command = await failure(s.run('/ip/pool/print\r\n/system/reboot'));
      expect(command).toMatchObject({ kind: 'invalid', command: null });
      expect(command.message).toMatch(/^the command name contains a line break/);
      expect(r.commandLog.length).toBe(logged);
      expect(await readIpPools(s)).toEqual(FLEET_POOLS);
    });
  });
});

describe('text from a router is cleaned', () => {
  const ESC = '\u001b[2J\u001b[31m';
  const RLO = '\u202e';

  it('strips control and bidi characters from every value the readers return', async () => {
    const r = await sim(80, {
      identity: `core${ESC}-1\r\nforged log line${RLO}`,
      version: `7.14.3\u0000 (stable)\u0085`,
      boardName: `CCR\u2066${'x'.repeat(400)}`,
      pools: [{ name: `main\u0007${RLO}`, ranges: `10.0.0.2-10.0.0.9\n` }],
      pppActive: [{ name: `alice\u001b]0;pwned\u0007`, address: '10.0.0.2', service: `pppoe\u202d` }],
      radius: [{ service: `ppp,\u0000login`, address: `10.0.0.5\u0009`, secret: 'rad-secret' }],
    });
    const got = await withRouterOs(target(r), async (s) => ({
      system: await readSystemInfo(s),
      pools: await readIpPools(s),
      ppp: await readPppActive(s),
      radius: await readRadiusServers(s),
    }));
    expect(got.system.identity).toBe('core[2J[31m-1 forged log line');
    expect(got.system.version).toBe('7.14.3 (stable)');
    expect(got.system.boardName).toBe(`CCR${'x'.repeat(252)}…`);
    expect(got.pools).toEqual([{ name: 'main', ranges: '10.0.0.2-10.0.0.9 ' }]);
    expect(got.ppp[0]).toMatchObject({ name: 'alice]0;pwned', service: 'pppoe' });
    expect(got.radius[0]).toMatchObject({ service: ['ppp', 'login'], address: '10.0.0.5 ', secret: 'rad-secret' });
  });

  it('cleans router text inside errors: trap, login trap, fatal reason, unexpected reply word', async () => {
    const t = await evilRouter(81, (words, write) => {
      const tag = tagOf(words);
      if (words[0] === '/login') {
        if (words.includes(`=password=${PASSWORD}`)) return write([['!done', tag]]);
        return write([
          ['!trap', tag, `=message=no${ESC}\nway${RLO}`],
          ['!done', tag],
        ]);
      }
      if (words[0] === '/trap')
        return write([
          ['!trap', tag, `=message=bad\u0000thing${RLO}\u2069 ${'m'.repeat(2000)}`],
          ['!done', tag],
        ]);
      if (words[0] === '/fatal') return write([['!fatal', `bye\r\n${ESC}now`]]);
      write([
        [`!we${ESC}ird`, tag],
        ['!done', tag],
      ]);
    });
    const trap = await withRouterOs(t, (s) => failure(s.run('/trap')));
    expect(trap.routerMessage).toBe(`badthing ${'m'.repeat(502)}…`);
    expect(trap.message).toBe(`router said: ${trap.routerMessage}`);
    const login = await failure(withRouterOs({ ...t, password: 'wrong' }, readSystemInfo));
    expect(login).toMatchObject({ kind: 'auth', message: 'API login refused: no[2J[31m way', routerMessage: 'no[2J[31m way' });
    const fatal = await failure(withRouterOs(t, (s) => s.run('/fatal')));
    expect(fatal).toMatchObject({ kind: 'fatal', message: 'router closed the session: bye [2J[31mnow' });
    const weird = await failure(withRouterOs(t, (s) => s.run('/weird')));
    expect(weird.kind).toBe('protocol');
    expect(weird.message).toContain('unexpected reply word "!we[2J[31mird"');
  });
});

describe('where the panel may connect (ROUTER_NETWORKS)', () => {
  const saved = process.env.ROUTER_NETWORKS;
  const setNetworks = (value: string | undefined) => {
    if (value === undefined) delete process.env.ROUTER_NETWORKS;
    else process.env.ROUTER_NETWORKS = value;
    resetEnvCache();
  };
  afterEach(() => setNetworks(saved));

  it('refuses a link-local target by default, before any socket', async () => {
    setNetworks(undefined);
    const [err, elapsed] = await timed(
      failure(withRouterOs({ host: '169.254.169.254', port: 8728, username: USER, password: PASSWORD, tls: false }, readSystemInfo)),
    );
    expect(err).toMatchObject({
      kind: 'refused-by-policy',
      target: '169.254.169.254:8728',
      message: '169.254.169.254 is link-local: the panel does not connect there (set ROUTER_NETWORKS to allow it)',
    });
    // A connect attempt to an unroutable address takes the whole deadline or fails with a socket error.
    expect(elapsed).toBeLessThan(500);
    const mapped = await failure(
      withRouterOs({ host: '::ffff:169.254.1.1', port: 8728, username: USER, password: PASSWORD, tls: false }, readSystemInfo),
    );
    expect(mapped.kind).toBe('refused-by-policy');
  });

  it('connects to loopback by default', async () => {
    setNetworks(undefined);
    const r = await sim(90, { identity: 'loopback-ok' });
    expect((await withRouterOs(target(r), readSystemInfo)).identity).toBe('loopback-ok');
  });

  it('refuses a target outside the configured networks without connecting, and allows one inside', async () => {
    const r = await sim(91, { identity: 'inside' });
    setNetworks('10.0.0.0/8, 2001:db8::/32');
    const err = await failure(withRouterOs(target(r), readSystemInfo));
    expect(err).toMatchObject({
      kind: 'refused-by-policy',
      message: '127.0.50.91 is outside ROUTER_NETWORKS (10.0.0.0/8, 2001:db8::/32): the panel does not connect there',
    });
    expect(r.acceptedConnections).toBe(0);

    setNetworks('10.0.0.0/8, 127.0.50.0/24');
    expect((await withRouterOs(target(r), readSystemInfo)).identity).toBe('inside');
    expect(r.acceptedConnections).toBe(1);
  });
});

describe('api-ssl certificate pinning', () => {
  const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;
  const logins = (r: SimRouter) => r.commandLog.filter((c) => c === '/login').length;
  const tlsTarget = (r: SimRouter, over: Partial<RouterOsTarget> = {}) => target(r, { port: r.apiSslPort!, tls: true, ...over });

  it('reports the fingerprint on first use and accepts the same pin, in any usual spelling', async () => {
    const r = await sim(92, { apiSslPort: 0, identity: 'pinned' });
    expect(r.tlsFingerprint).toMatch(FINGERPRINT);
    const seen = await withRouterOs(tlsTarget(r), async (s) => s.tlsFingerprint);
    expect(seen).toBe(r.tlsFingerprint);
    const identity = await withRouterOs(tlsTarget(r, { tlsPin: seen! }), async (s) => (await readSystemInfo(s)).identity);
    expect(identity).toBe('pinned');
    const lower = seen!.replaceAll(':', '').toLowerCase();
    expect(await withRouterOs(tlsTarget(r, { tlsPin: lower }), async (s) => s.tlsFingerprint)).toBe(seen);
  });

  it('refuses a changed certificate before the login is sent, with the new fingerprint', async () => {
    const r = await sim(93, { apiSslPort: 0 });
    const pinned = r.tlsFingerprint!;
    const renewed = await r.renewCertificate();
    expect(renewed).toMatch(FINGERPRINT);
    expect(renewed).not.toBe(pinned);
    expect(r.tlsFingerprint).toBe(renewed);
    const loginsBefore = logins(r);

    const err = await failure(withRouterOs(tlsTarget(r, { tlsPin: pinned }), readSystemInfo));
    expect(err).toMatchObject({ kind: 'certificate', seenFingerprint: renewed, command: 'login' });
    const short = (fp: string) => `${fp.split(':').slice(0, 4).join(':')}…`;
    expect(err.message).toBe(
      `the router's api-ssl certificate changed (pinned ${short(pinned)}, now ${short(renewed)}): if you replaced it, trust the new certificate on the NAS page`,
    );
    expect(r.acceptedConnections).toBeGreaterThan(0);
    expect(logins(r)).toBe(loginsBefore);
    await noOpenConnections(r);

    // Trusting the new certificate on the NAS page means pinning the new fingerprint.
    expect(await withRouterOs(tlsTarget(r, { tlsPin: renewed }), async (s) => s.tlsFingerprint)).toBe(renewed);
  });

  it('refuses anonymous TLS by default, saying what to do, and never sends the login', async () => {
    const r = await sim(94, { apiSslPort: 0, apiSslCertificate: 'none', identity: 'anon' });
    expect(r.tlsFingerprint).toBeNull();
    const err = await failure(withRouterOs(tlsTarget(r), readSystemInfo));
    expect(err.kind).toBe('tls');
    expect(err.message).toBe(
      `127.0.50.94:${r.apiSslPort} offers only anonymous TLS (api-ssl without a certificate), which nothing authenticates: allow anonymous TLS on the NAS, or install a certificate on the router's api-ssl service`,
    );
    expect(logins(r)).toBe(0);
    // Only the diagnosis handshake (anonymous suites, nothing sent) completed: the connection meant
    // for the login did not even offer anonymous suites.
    expect(r.tlsHandshakes).toBe(1);

    const allowed = await withRouterOs(tlsTarget(r, { tlsAllowAnonymous: true }), async (s) => ({
      fingerprint: s.tlsFingerprint,
      identity: (await readSystemInfo(s)).identity,
    }));
    expect(allowed).toEqual({ fingerprint: null, identity: 'anon' });
    expect(r.tlsHandshakes).toBe(2);
  });

  it('refuses anonymous TLS from a router whose certificate is pinned, even where anonymous is allowed', async () => {
    const r = await sim(95, { apiSslPort: 0, apiSslCertificate: 'none' });
    const err = await failure(
      withRouterOs(
        tlsTarget(r, {
          tlsAllowAnonymous: true,
          tlsPin: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
        }),
        readSystemInfo,
      ),
    );
    expect(err).toMatchObject({ kind: 'certificate', seenFingerprint: null });
    expect(err.message).toMatch(/^the router's api-ssl no longer presents a certificate \(pinned AB:CD:EF:01…, now anonymous TLS\)/);
    expect(logins(r)).toBe(0);
  });

  it('a router with a certificate works with anonymous allowed too, and is still pinned', async () => {
    const r = await sim(96, { apiSslPort: 0 });
    const seen = await withRouterOs(tlsTarget(r, { tlsAllowAnonymous: true }), async (s) => s.tlsFingerprint);
    expect(seen).toBe(r.tlsFingerprint);
  });
});

describe('secrets', () => {
  it('never puts the password in an error, a cause or a debug log line', () => {
    expect(failures.length).toBeGreaterThan(15);
    for (const err of failures) {
      const text = [err.message, err.stack, String(err.cause ?? ''), JSON.stringify(err)].join('\n');
      expect(text).not.toContain(PASSWORD);
    }
    expect(debugLines.length).toBeGreaterThan(0);
    expect(debugLines.join('\n')).not.toContain(PASSWORD);
  });

  it('no uncaught exception or unhandled rejection happened during all of the above', () => {
    expect(processErrors).toEqual([]);
  });
});
