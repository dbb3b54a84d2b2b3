import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { RawApiClient } from './raw-api-client';
import { startRouter, type SimRouter } from './router';
import { challengeResponse } from './session';
import type { SimRouterConfig } from './types';

// Hosts 127.0.51.x belong to this file.
const USER = 'admin';
const PASS = 'sim-test-pass';

const routers: SimRouter[] = [];
const clients: RawApiClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(routers.splice(0).map((r) => r.stop()));
});

async function router(n: number, cfg: Partial<SimRouterConfig> = {}): Promise<SimRouter> {
  const r = await startRouter({ host: `127.0.51.${n}`, apiPort: 0, username: USER, password: PASS, ...cfg });
  routers.push(r);
  return r;
}

async function client(r: SimRouter, opts: { tls?: boolean; login?: boolean } = {}): Promise<RawApiClient> {
  const c = await RawApiClient.connect(r.host, opts.tls ? r.apiSslPort! : r.apiPort, opts.tls);
  clients.push(c);
  if (opts.login !== false) await c.login(USER, PASS);
  return c;
}

const attrs = (sentence: string[]) =>
  Object.fromEntries(sentence.filter((w) => w.startsWith('=')).map((w) => [w.slice(1, w.indexOf('=', 1)), w.slice(w.indexOf('=', 1) + 1)]));

describe('login', () => {
  it('accepts name+password on v7 and rejects a wrong one with the real text', async () => {
    const r = await router(1);
    const c = await client(r, { login: false });
    c.send('/login', `=name=${USER}`, '=password=nope', '.tag=1');
    expect(await c.untilDone('1')).toEqual([
      ['!trap', '.tag=1', '=message=invalid user name or password (6)'],
      ['!done', '.tag=1'],
    ]);
    c.send('/login', `=name=${USER}`, `=password=${PASS}`, '.tag=2');
    expect(await c.untilDone('2')).toEqual([['!done', '.tag=2']]);
    expect(r.commandLog).toEqual(['/login', '/login']);
  });

  it('runs the pre-6.43 MD5 challenge', async () => {
    const r = await router(2, { loginMode: 'challenge' });
    const c = await client(r, { login: false });
    c.send('/login', `=name=${USER}`, `=password=${PASS}`);
    const [challenge] = await c.untilDone();
    const ret = attrs(challenge).ret;
    expect(ret).toMatch(/^[0-9a-f]{32}$/);
    c.send('/login', `=name=${USER}`, `=response=${challengeResponse('wrong', ret)}`);
    expect(await c.untilDone()).toEqual([['!trap', '=message=cannot log in'], ['!done']]);

    c.send('/login');
    const ret2 = attrs((await c.untilDone())[0]).ret;
    c.send('/login', `=name=${USER}`, `=response=${challengeResponse(PASS, ret2)}`);
    expect(await c.untilDone()).toEqual([['!done']]);
  });

  it('closes with !fatal when a command comes before login', async () => {
    const r = await router(3);
    const c = await client(r, { login: false });
    c.send('/ip/pool/print', '.tag=5');
    expect(await c.next()).toEqual(['!fatal', 'not logged in']);
    await c.waitClosed();
  });
});

describe('commands', () => {
  it('echoes the tag right after the reply word of every sentence, in one write', async () => {
    const r = await router(4, {
      pools: [
        { name: 'main', ranges: '10.10.0.2-10.10.3.254' },
        { name: 'biz', ranges: '10.20.0.0/24,10.20.1.7' },
      ],
    });
    const c = await client(r);
    const before = c.chunks.length;
    c.send('/ip/pool/print', '.tag=abc');
    const reply = await c.untilDone('abc');
    expect(reply).toEqual([
      ['!re', '.tag=abc', '=.id=*1', '=name=main', '=ranges=10.10.0.2-10.10.3.254'],
      ['!re', '.tag=abc', '=.id=*2', '=name=biz', '=ranges=10.20.0.0/24,10.20.1.7'],
      ['!done', '.tag=abc'],
    ]);
    expect(c.chunks.length - before).toBe(1);
  });

  it('serves system resource and identity like a router', async () => {
    const r = await router(5, { identity: 'edge-1', version: '7.14.3 (stable)' });
    const c = await client(r);
    c.send('/system/resource/print');
    const res = attrs((await c.untilDone())[0]);
    expect(res.version).toBe('7.14.3 (stable)');
    expect(res.uptime).toMatch(/^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/);
    expect(res['cpu-load']).toMatch(/^\d+$/);
    expect(Number(res['free-memory'])).toBeLessThan(Number(res['total-memory']));
    expect(res['board-name']).toBeTruthy();
    c.send('/system/identity/print');
    expect(await c.untilDone()).toEqual([['!re', '=name=edge-1'], ['!done']]);
  });

  it('honours .proplist, ?queries and count-only', async () => {
    const r = await router(6, {
      pppActive: [
        { name: 'alice', address: '10.0.0.2' },
        { name: 'bob', address: '10.0.0.3', service: 'pptp' },
      ],
    });
    const c = await client(r);
    c.send('/ppp/active/print', '=.proplist=name,address', '?service=pptp');
    expect(await c.untilDone()).toEqual([['!re', '=name=bob', '=address=10.0.0.3'], ['!done']]);
    c.send('/ppp/active/print', '=count-only=');
    expect(await c.untilDone()).toEqual([['!done', '=ret=2']]);
    c.send('/ppp/active/print', '?name=alice', '?name=bob', '?#|', '=.proplist=name');
    expect(await c.untilDone()).toEqual([['!re', '=name=alice'], ['!re', '=name=bob'], ['!done']]);
    c.send('/ppp/active/print', '?name=carol');
    expect(await c.untilDone()).toEqual([['!done']]);
  });

  it('sends !empty before !done for empty results in 7.18 mode', async () => {
    const r = await router(7, { emptyReplies: true, version: '7.18.2 (stable)' });
    const c = await client(r);
    c.send('/ppp/active/print', '.tag=9');
    expect(await c.untilDone('9')).toEqual([
      ['!empty', '.tag=9'],
      ['!done', '.tag=9'],
    ]);
    c.send('/ppp/active/print', '=count-only=');
    expect(await c.untilDone()).toEqual([['!done', '=ret=0']]);
  });

  it('answers unknown paths and verbs with the real traps', async () => {
    const r = await router(8);
    const c = await client(r);
    c.send('/ip/foo/print', '.tag=1');
    expect(await c.untilDone('1')).toEqual([
      ['!trap', '.tag=1', '=category=0', '=message=no such command or directory (foo)'],
      ['!trap', '.tag=1', '=message=no such command prefix'],
      ['!done', '.tag=1'],
    ]);
    c.send('/ip/pool/frobnicate');
    expect(await c.untilDone()).toEqual([['!trap', '=message=no such command'], ['!done']]);
  });

  it('removes PPP sessions and names a missing item as v7 or v6 does', async () => {
    const v7 = await router(9, { pppActive: [{ name: 'alice', address: '10.0.0.2' }] });
    const c = await client(v7);
    const [id] = v7.getPppActive().map((s) => s.id);
    expect(id).toMatch(/^\*8[0-9A-F]{7}$/);
    c.send('/ppp/active/remove', `=.id=${id}`);
    expect(await c.untilDone()).toEqual([['!done']]);
    expect(v7.getPppActive()).toEqual([]);
    c.send('/ppp/active/remove', `=.id=${id}`);
    expect((await c.untilDone())[0]).toEqual(['!trap', '=message=no such item (4)']);

    const v6 = await router(10, { loginMode: 'challenge' });
    const c6 = await RawApiClient.connect(v6.host, v6.apiPort);
    clients.push(c6);
    c6.send('/login');
    const ret = attrs((await c6.untilDone())[0]).ret;
    c6.send('/login', `=name=${USER}`, `=response=${challengeResponse(PASS, ret)}`);
    await c6.untilDone();
    c6.send('/ppp/active/remove', '=.id=*1');
    expect((await c6.untilDone())[0]).toEqual(['!trap', '=message=no such item']);
  });

  it('streams /ping one !re per probe, and times out black-hole addresses', async () => {
    const r = await router(11);
    const c = await client(r);
    c.send('/ping', '=address=1.1.1.1', '=count=3', '=interval=20ms', '.tag=p');
    const rows = await c.untilDone('p');
    expect(rows.map((s) => s[0])).toEqual(['!re', '!re', '!re', '!done']);
    const last = attrs(rows[2]);
    expect(last).toMatchObject({ seq: '2', host: '1.1.1.1', sent: '3', received: '3', 'packet-loss': '0' });
    expect(last.time).toMatch(/^(\d+ms)?(\d+us)?$/);
    expect(last['avg-rtt']).toBeTruthy();

    c.send('/ping', '=address=192.0.2.1', '=count=2', '=interval=20ms');
    const lost = await c.untilDone();
    expect(attrs(lost[1])).toMatchObject({ status: 'timeout', sent: '2', received: '0', 'packet-loss': '100' });
  });

  it('stops an endless ping on /cancel with the real reply sequence', async () => {
    const r = await router(12);
    const c = await client(r);
    c.send('/ping', '=address=8.8.8.8', '=interval=20ms', '.tag=10');
    expect((await c.next())[0]).toBe('!re');
    c.send('/cancel', '=tag=10', '.tag=20');
    const tail: string[][] = [];
    for (;;) {
      const s = await c.next();
      if (s[0] === '!re') continue;
      tail.push(s);
      if (s[0] === '!done' && s[1] === '.tag=10') break;
    }
    expect(tail).toEqual([
      ['!trap', '.tag=10', '=category=2', '=message=interrupted'],
      ['!done', '.tag=20'],
      ['!done', '.tag=10'],
    ]);
    // Nothing more arrives for the cancelled tag.
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(c.sentences.slice(-1)[0]).toEqual(['!done', '.tag=10']);
  });

  it('streams traceroute hops', async () => {
    const r = await router(13);
    const c = await client(r);
    c.send('/tool/traceroute', '=address=9.9.9.9', '=count=1');
    const rows = await c.untilDone();
    expect(rows).toHaveLength(5);
    expect(attrs(rows[3])).toMatchObject({ address: '9.9.9.9', loss: '0', '.section': '0' });
  });

  it('serves /radius and /radius/incoming', async () => {
    const r = await router(14, {
      radius: [{ service: 'ppp,login', address: '10.9.9.9', secret: 's3', acctPort: 1646 }],
      radiusIncoming: { accept: true, port: 1700 },
    });
    const c = await client(r);
    c.send('/radius/print');
    expect(attrs((await c.untilDone())[0])).toMatchObject({
      service: 'ppp,login',
      address: '10.9.9.9',
      secret: 's3',
      'authentication-port': '1812',
      'accounting-port': '1646',
      disabled: 'false',
    });
    c.send('/radius/incoming/print');
    expect(await c.untilDone()).toEqual([['!re', '=accept=true', '=port=1700'], ['!done']]);
  });

  it('ends the session on /quit', async () => {
    const r = await router(15);
    const c = await client(r);
    c.send('/quit');
    expect(await c.next()).toEqual(['!fatal', 'session terminated on request']);
    await c.waitClosed();
  });
});

describe('TLS', () => {
  it('serves api-ssl with a self-signed certificate', async () => {
    const r = await router(16, { apiSslPort: 0 });
    expect(r.apiSslPort).toBeGreaterThan(0);
    const c = await client(r, { tls: true });
    c.send('/system/identity/print');
    expect((await c.untilDone())[0][0]).toBe('!re');
  });

  it('reports the certificate it presents and renews it for new connections', async () => {
    const r = await router(17, { apiSslPort: 0 });
    const presented = async () => {
      const c = await client(r, { tls: true, login: false });
      return (c.socket as TLSSocket).getPeerCertificate().fingerprint256;
    };
    const first = r.tlsFingerprint;
    expect(first).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await presented()).toBe(first);
    const renewed = await r.renewCertificate();
    expect(renewed).not.toBe(first);
    expect(r.tlsFingerprint).toBe(renewed);
    expect(await presented()).toBe(renewed);
    expect(r.tlsHandshakes).toBe(2);
    expect(r.acceptedConnections).toBe(2);
  });

  it('has no fingerprint without a certificate, and none without api-ssl', async () => {
    expect((await router(18, { apiSslPort: 0, apiSslCertificate: 'none' })).tlsFingerprint).toBeNull();
    const plain = await router(19);
    expect(plain.tlsFingerprint).toBeNull();
    await expect(plain.renewCertificate()).rejects.toThrow('no api-ssl listener');
  });
});

describe('faults', () => {
  it('refuse closes the port and reopens it on the same number', async () => {
    const r = await router(20);
    const port = r.apiPort;
    const c = await client(r);
    await r.setFault('refuse');
    await c.waitClosed();
    await expect(RawApiClient.connect(r.host, port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await r.setFault('none');
    expect(r.apiPort).toBe(port);
    await client(r);
  });

  it('silent accepts TCP and never answers', async () => {
    const r = await router(21, { fault: 'silent' });
    const c = await client(r, { login: false });
    c.send('/login', `=name=${USER}`, `=password=${PASS}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.chunks).toEqual([]);
    expect(c.closed).toBe(false);
  });

  it('reset cuts a command reply in half and sends RST', async () => {
    const r = await router(22, { pools: [{ name: 'p', ranges: '10.0.0.1-10.0.0.9' }] });
    const c = await client(r);
    await r.setFault('reset');
    c.send('/ip/pool/print');
    await c.waitClosed();
    expect(c.error?.code).toBe('ECONNRESET');
    expect(Buffer.concat(c.chunks.slice(1)).length).toBeGreaterThan(0);
  });

  it('garbage answers bytes that cannot start a word', async () => {
    const r = await router(23, { fault: 'garbage' });
    const c = await client(r, { login: false });
    c.send('/login');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.chunks[0][0]).toBeGreaterThanOrEqual(0xf8);
  });

  it('slow delays each reply', async () => {
    const r = await router(24, { fault: 'slow', slowMs: 150 });
    const started = Date.now();
    await client(r);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fragment delivers tiny chunks with the final 0x00 alone, and keeps working', async () => {
    const r = await router(25, { fault: 'fragment', identity: 'frag' });
    const c = await client(r);
    c.send('/system/identity/print');
    expect(await c.untilDone()).toEqual([['!re', '=name=frag'], ['!done']]);
    expect(c.chunks.length).toBeGreaterThan(5);
    expect(c.chunks.at(-1)).toEqual(Buffer.of(0));
  });

  it('fatal answers !fatal and closes', async () => {
    const r = await router(26, { fault: 'fatal' });
    const c = await client(r, { login: false });
    c.send('/login');
    expect((await c.next())[0]).toBe('!fatal');
    await c.waitClosed();
  });
});

describe('CoA wiring', () => {
  it('disconnects a simulated PPP session on a RADIUS Disconnect-Request', async () => {
    const r = await router(30, { coa: { port: 0, secret: 'coa-secret' }, pppActive: [{ name: 'alice', address: '10.0.0.2' }] });
    expect(r.coaPort).toBeGreaterThan(0);
    const user = Buffer.from('alice');
    const attrsBuf = Buffer.concat([Buffer.of(1, user.length + 2), user]);
    const header = Buffer.of(40, 7, 0, 20 + attrsBuf.length);
    const auth = createHash('md5').update(header).update(Buffer.alloc(16)).update(attrsBuf).update('coa-secret').digest();
    const socket = dgram.createSocket('udp4');
    const reply = await new Promise<Buffer>((resolve) => {
      socket.once('message', resolve);
      socket.send(Buffer.concat([header, auth, attrsBuf]), r.coaPort!, r.host);
    });
    socket.close();
    expect(reply[0]).toBe(41);
    expect(r.getPppActive()).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('stop closes listeners and open connections', async () => {
    const r = await startRouter({ host: '127.0.51.40', apiPort: 0, username: USER, password: PASS });
    const c = await client(r);
    const port = r.apiPort;
    await r.stop();
    await c.waitClosed();
    const refused = await new Promise<string | undefined>((resolve) => {
      const s = net.connect(port, '127.0.51.40');
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      s.on('connect', () => resolve('connected'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses non-loopback hosts', async () => {
    await expect(startRouter({ host: '10.0.0.1', username: USER, password: PASS })).rejects.toThrow(/127\.x\.y\.z/);
  });
});
