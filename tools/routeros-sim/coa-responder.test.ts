import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startCoaResponder, type CoaSession } from './coa-responder';

const HOST = '127.0.62.1';
const SECRET = 'sim-secret';
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const sessions: CoaSession[] = [
  { id: '*1', name: 'alice', address: '10.0.0.9', sessionId: '81a00001' },
  { id: '*2', name: 'alice', address: '10.0.0.10', sessionId: '81a00002' },
  { id: '*3', name: 'bob', address: null, sessionId: null },
];

async function start() {
  const live = sessions.map((s) => ({ ...s }));
  const removed: string[] = [];
  const responder = await startCoaResponder({
    host: HOST,
    port: 0,
    secret: SECRET,
    getSessions: () => live,
    removeSession: (id) => {
      removed.push(id);
      live.splice(
        live.findIndex((s) => s.id === id),
        1,
      );
    },
  });
  stops.push(responder.stop);
  return { ...responder, live, removed };
}

const md5 = (...parts: Array<Buffer | string>) => parts.reduce((h, p) => h.update(p), createHash('md5')).digest();
const attr = (type: number, value: Buffer | string) => {
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
};
const userName = (name: string) => attr(1, name);
const framedIp = (ip: string) => attr(8, Buffer.from(ip.split('.').map(Number)));
const acctSessionId = (id: string) => attr(44, id);
const proxyState = (state: string) => attr(33, state);

function request(code: number, attributes: Buffer[], secret = SECRET, identifier = 17): Buffer {
  const body = Buffer.concat(attributes);
  const header = Buffer.from([code, identifier, 0, 0]);
  header.writeUInt16BE(20 + body.length, 2);
  return Buffer.concat([header, md5(header, Buffer.alloc(16), body, secret), body]);
}

/** Sends one datagram and returns the reply, or null after waitMs of silence. */
async function exchange(port: number, datagram: Buffer, waitMs = 1000): Promise<Buffer | null> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), waitMs);
      socket.on('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(datagram, port, HOST);
    });
  } finally {
    socket.close();
  }
}

/** Code and Error-Cause of a reply whose Response Authenticator verifies against the request. */
function readReply(req: Buffer, reply: Buffer | null) {
  expect(reply).not.toBeNull();
  const r = reply!;
  expect(r[1]).toBe(req[1]);
  expect(r.readUInt16BE(2)).toBe(r.length);
  expect(md5(r.subarray(0, 4), req.subarray(4, 20), r.subarray(20), SECRET)).toEqual(r.subarray(4, 20));
  const attributes: Array<[number, Buffer]> = [];
  for (let at = 20; at < r.length; at += r[at + 1]) attributes.push([r[at], r.subarray(at + 2, at + r[at + 1])]);
  const cause = attributes.find(([type]) => type === 101)?.[1].readUInt32BE(0);
  return { code: r[0], errorCause: cause, attributes };
}

describe('startCoaResponder', () => {
  it('binds a random port for port 0 and frees it on stop', async () => {
    const { port, stop } = await start();
    expect(port).toBeGreaterThan(0);
    await stop();
    await stop(); // idempotent

    const again = await startCoaResponder({ host: HOST, port, secret: SECRET, getSessions: () => [], removeSession() {} });
    await again.stop();
  });

  it('refuses to start on a port already taken', async () => {
    const { port } = await start();
    await expect(startCoaResponder({ host: HOST, port, secret: SECRET, getSessions: () => [], removeSession() {} })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('ACKs a Disconnect-Request for a live session by Acct-Session-Id and removes only it', async () => {
    const { port, live, removed } = await start();
    const req = request(40, [acctSessionId('81a00002')]);
    expect(readReply(req, await exchange(port, req))).toMatchObject({ code: 41, errorCause: undefined });
    expect(removed).toEqual(['*2']);
    expect(live.map((s) => s.id)).toEqual(['*1', '*3']);
  });

  it('matches by Framed-IP-Address, and by User-Name (every session of that user)', async () => {
    const { port, removed } = await start();
    const byIp = request(40, [framedIp('10.0.0.9')]);
    expect(readReply(byIp, await exchange(port, byIp)).code).toBe(41);
    expect(removed).toEqual(['*1']);

    const byName = request(40, [userName('alice')], SECRET, 18);
    expect(readReply(byName, await exchange(port, byName)).code).toBe(41);
    expect(removed).toEqual(['*1', '*2']);
  });

  it('requires every identifier given to match the same session', async () => {
    const { port, removed } = await start();
    const req = request(40, [userName('bob'), acctSessionId('81a00001')]);
    expect(readReply(req, await exchange(port, req))).toMatchObject({ code: 42, errorCause: 503 });
    expect(removed).toEqual([]);
  });

  it('NAKs an unknown session with Error-Cause 503 and echoes Proxy-State', async () => {
    const { port, removed } = await start();
    const req = request(40, [userName('nas-panel-probe'), acctSessionId('nas-panel-probe-1'), proxyState('px')]);
    const reply = readReply(req, await exchange(port, req));
    expect(reply).toMatchObject({ code: 42, errorCause: 503 });
    expect(reply.attributes).toContainEqual([33, Buffer.from('px')]);
    expect(removed).toEqual([]);
  });

  it('NAKs a request naming no session with Error-Cause 402', async () => {
    const { port } = await start();
    const req = request(40, [attr(4, Buffer.from([10, 0, 0, 1]))]); // NAS-IP-Address only
    expect(readReply(req, await exchange(port, req))).toMatchObject({ code: 42, errorCause: 402 });
  });

  it('answers CoA-Request with CoA-ACK for a live session (kept) and CoA-NAK 503 otherwise', async () => {
    const { port, removed } = await start();
    const known = request(43, [userName('bob')]);
    expect(readReply(known, await exchange(port, known)).code).toBe(44);
    const unknown = request(43, [userName('carol')]);
    expect(readReply(unknown, await exchange(port, unknown))).toMatchObject({ code: 45, errorCause: 503 });
    expect(removed).toEqual([]);
  });

  it('drops requests signed with another secret, other codes, and garbage', async () => {
    const { port, removed } = await start();
    const [wrongSecret, accessRequest, garbage] = await Promise.all([
      exchange(port, request(40, [userName('alice')], 'other-secret'), 300),
      exchange(port, request(1, [userName('alice')]), 300),
      exchange(port, Buffer.from('not radius at all'), 300),
    ]);
    expect([wrongSecret, accessRequest, garbage]).toEqual([null, null, null]);
    expect(removed).toEqual([]);
  });
});
