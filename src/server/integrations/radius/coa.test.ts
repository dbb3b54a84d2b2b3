import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startCoaResponder, type CoaSession } from '../../../../tools/routeros-sim/coa-responder';
import { COA_VENDOR_ATTRIBUTES, sendCoaRequest, sendDisconnect, sendDisconnectProbe } from './coa';
import { radiusDictionary } from './dictionary';

const HOST = '127.0.61.1';
const SECRET = 'coa-test-secret';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function router(sessions: CoaSession[]) {
  const live = [...sessions];
  const responder = await startCoaResponder({
    host: HOST,
    port: 0,
    secret: SECRET,
    getSessions: () => live,
    removeSession: (id) =>
      live.splice(
        live.findIndex((s) => s.id === id),
        1,
      ),
  });
  cleanups.push(responder.stop);
  return { port: responder.port, live };
}

async function bindUdp(onMessage: (socket: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo) => void) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo));
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

const alice: CoaSession = { id: '*1', name: 'alice', address: '10.0.0.9', sessionId: '81a00001' };

describe('sendDisconnectProbe', () => {
  it("gets a verified Disconnect-NAK 503 for the session that cannot exist: 'nak'", async () => {
    const { port, live } = await router([alice]);
    const result = await sendDisconnectProbe({ host: HOST, port, secret: SECRET, timeoutMs: 2000 });

    expect(result).toMatchObject({
      result: 'nak',
      errorCause: 503,
      detail: 'reachable, secret matches (Disconnect-NAK, Error-Cause 503 Session-Context-Not-Found)',
    });
    expect(result.rttMs).toBeLessThan(500);
    expect(live).toEqual([alice]);
  });

  it("hears nothing when the secret is wrong: 'no-answer' at the deadline", async () => {
    const { port } = await router([alice]);
    const started = performance.now();
    const result = await sendDisconnectProbe({ host: HOST, port, secret: 'not-the-secret', timeoutMs: 300 });

    expect(result).toEqual({
      result: 'no-answer',
      detail:
        'no answer within 300 ms: CoA disabled (/radius incoming accept=no), wrong port, firewall, or a wrong secret (MikroTik drops requests it cannot verify)',
    });
    expect(performance.now() - started).toBeLessThan(800);
    expect(JSON.stringify(result)).not.toContain('not-the-secret');
  });

  it("says 'bad-authenticator' when a reply does not verify", async () => {
    // Answers every request with a Disconnect-NAK whose authenticator is random bytes.
    const port = await bindUdp((socket, msg, rinfo) => {
      const reply = Buffer.concat([Buffer.from([42, msg[1], 0, 20]), randomBytes(16)]);
      socket.send(reply, rinfo.port, rinfo.address);
    });
    const result = await sendDisconnectProbe({ host: HOST, port, secret: SECRET, timeoutMs: 2000 });

    expect(result).toMatchObject({
      result: 'bad-authenticator',
      detail: 'a reply came but its authenticator does not verify: the NAS has a different secret',
    });
  });

  it("ignores replies for another identifier, then times out: 'no-answer'", async () => {
    const port = await bindUdp((socket, msg, rinfo) => {
      const reply = Buffer.concat([Buffer.from([42, (msg[1] + 1) % 256, 0, 20]), randomBytes(16)]);
      socket.send(reply, rinfo.port, rinfo.address);
    });
    const result = await sendDisconnectProbe({ host: HOST, port, secret: SECRET, timeoutMs: 200 });
    expect(result.result).toBe('no-answer');
  });

  it("reports 'closed' quickly when nothing listens", async () => {
    const { port } = await router([]);
    const [stop] = cleanups.splice(0);
    await stop();

    const started = performance.now();
    const result = await sendDisconnectProbe({ host: HOST, port, secret: SECRET, timeoutMs: 2000 });
    expect(result.result).toBe('closed');
    expect(result.detail).toMatch(new RegExp(`^ICMP port unreachable: nothing listens on udp/${port}`));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('sendDisconnect', () => {
  it("ends a live session named by Acct-Session-Id: 'ack'", async () => {
    const bob: CoaSession = { id: '*2', name: 'bob', address: '10.0.0.10', sessionId: '81a00002' };
    const { port, live } = await router([alice, bob]);
    const result = await sendDisconnect({
      host: HOST,
      port,
      secret: SECRET,
      timeoutMs: 2000,
      attributes: [['Acct-Session-Id', '81a00001']],
    });

    expect(result).toMatchObject({ result: 'ack', detail: 'Disconnect-ACK: the NAS accepted the request' });
    expect(result.errorCause).toBeUndefined();
    expect(live).toEqual([bob]);
  });

  it("gets 'nak' 503 once the session is gone", async () => {
    const { port } = await router([alice]);
    const target = { host: HOST, port, secret: SECRET, timeoutMs: 2000 };
    const attributes = [['Framed-IP-Address', '10.0.0.9']] as const;

    expect((await sendDisconnect({ ...target, attributes })).result).toBe('ack');
    expect(await sendDisconnect({ ...target, attributes })).toMatchObject({
      result: 'nak',
      errorCause: 503,
      detail: 'Disconnect-NAK (Error-Cause 503 Session-Context-Not-Found): the NAS refused the request',
    });
  });

  it("returns 'error' for attributes that cannot be encoded, without sending", async () => {
    const result = await sendDisconnect({
      host: HOST,
      port: 9,
      secret: SECRET,
      timeoutMs: 2000,
      attributes: [['Framed-IP-Address', 'not-an-ip']],
    });
    expect(result.result).toBe('error');
    expect(result.detail).toMatch(/^cannot build the request: /);
  });
});

describe('sendCoaRequest', () => {
  it('gets CoA-ACK for a live session (left connected) and CoA-NAK 503 for an unknown one', async () => {
    const { port, live } = await router([alice]);
    const target = { host: HOST, port, secret: SECRET, timeoutMs: 2000 };

    const known = await sendCoaRequest({ ...target, attributes: [['User-Name', 'alice']] });
    expect(known).toMatchObject({ result: 'ack', detail: 'CoA-ACK: the NAS accepted the request' });
    expect(live).toEqual([alice]);

    const unknown = await sendCoaRequest({ ...target, attributes: [['User-Name', 'carol']] });
    expect(unknown).toMatchObject({ result: 'nak', errorCause: 503 });
  });
});

/**
 * RFC 5176 §3.3 checked independently of the client, with node:crypto alone: the request's authenticator is
 * MD5 over the packet with 16 zero octets and the secret, and Message-Authenticator is HMAC-MD5 over the packet
 * with both the authenticator and its own value zeroed (FreeRADIUS's rad_sign).
 */
function messageAuthenticatorVerifies(request: Buffer, secret: string): boolean {
  const zeroed = Buffer.from(request);
  zeroed.fill(0, 4, 20);
  const expectedAuthenticator = createHash('md5').update(zeroed).update(secret).digest();
  if (!timingSafeEqual(expectedAuthenticator, request.subarray(4, 20))) return false;
  for (let offset = 20; offset + 2 <= request.length; offset += request[offset + 1]) {
    if (request[offset + 1] < 2) return false;
    if (request[offset] !== 80) continue;
    if (request[offset + 1] !== 18) return false;
    const given = Buffer.from(request.subarray(offset + 2, offset + 18));
    zeroed.fill(0, offset + 2, offset + 18);
    return timingSafeEqual(createHmac('md5', secret).update(zeroed).digest(), given);
  }
  return false;
}

describe('Message-Authenticator', () => {
  it('is in every Disconnect-Request and CoA-Request, verifiable by a NAS that requires it', async () => {
    const received: Buffer[] = [];
    // A NAS that requires Message-Authenticator: ACKs only requests whose Message-Authenticator verifies.
    const port = await bindUdp((socket, msg, rinfo) => {
      received.push(msg);
      if (!messageAuthenticatorVerifies(msg, SECRET)) return;
      const code = msg[0] === 40 ? 41 : 44;
      const header = Buffer.from([code, msg[1], 0, 20]);
      const authenticator = createHash('md5').update(header).update(msg.subarray(4, 20)).update(SECRET).digest();
      socket.send(Buffer.concat([header, authenticator]), rinfo.port, rinfo.address);
    });
    const target = { host: HOST, port, secret: SECRET, timeoutMs: 1000 };

    const disconnect = await sendDisconnect({
      ...target,
      attributes: [
        ['User-Name', 'alice'],
        ['Acct-Session-Id', '81a00001'],
      ],
    });
    expect(disconnect.result).toBe('ack');
    const coa = await sendCoaRequest({
      ...target,
      attributes: [
        ['User-Name', 'alice'],
        ['Mikrotik-Rate-Limit', '2048k/10240k'],
      ],
    });
    expect(coa.result).toBe('ack');
    expect(received.map((m) => m[0])).toEqual([40, 43]);
    // The vendor attribute went out by its dictionary name: Vendor-Specific, MikroTik (14988), type 8.
    expect(received[1].includes(Buffer.concat([Buffer.from([0, 0, 0x3a, 0x8c, 8, 14]), Buffer.from('2048k/10240k')]))).toBe(true);
    // Computed with the wrong secret, it would not verify.
    expect(messageAuthenticatorVerifies(received[0], 'another-secret')).toBe(false);
  });
});

describe('COA_VENDOR_ATTRIBUTES', () => {
  it('matches the dictionaries the RADIUS service sends these attributes by', () => {
    const dictionary = radiusDictionary();
    for (const [name, { vendor, type, kind }] of Object.entries(COA_VENDOR_ATTRIBUTES)) {
      expect(dictionary.byName(name), name).toMatchObject({ vendor, type, dataType: kind });
    }
  });
});
