import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeUnverified } from './decode-request';
import { peekHeader } from './wire';

// Packets are built here byte by byte with node:crypto, independently of the code under test.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const attr = (type: number, value: Buffer | string) => {
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
};
const vsa = (vendor: number, type: number, value: Buffer | string) => {
  const sub = attr(type, value);
  const head = Buffer.alloc(6);
  head[0] = 26;
  head[1] = sub.length + 6;
  head.writeUInt32BE(vendor, 2);
  return Buffer.concat([head, sub]);
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const MA_PLACEHOLDER = attr(80, Buffer.alloc(16));

/** Access-Request / Status-Server: random authenticator; the Message-Authenticator placeholder is signed in place. */
function randomAuthRequest(code: number, attributes: Buffer[], secret: string, options: { wrongMa?: boolean } = {}) {
  const body = Buffer.concat(attributes);
  const packet = Buffer.concat([Buffer.from([code, 7, 0, 0]), randomBytes(16), body]);
  packet.writeUInt16BE(packet.length, 2);
  const at = packet.indexOf(MA_PLACEHOLDER, 20);
  if (at !== -1)
    createHmac('md5', options.wrongMa ? `${secret}!` : secret)
      .update(packet)
      .digest()
      .copy(packet, at + 2);
  return packet;
}

/** Accounting / Disconnect / CoA: MA over the zeroed authenticator, then the Request Authenticator. */
function signedRequest(code: number, attributes: Buffer[], secret: string) {
  const packet = Buffer.concat([Buffer.from([code, 9, 0, 0]), Buffer.alloc(16), ...attributes]);
  packet.writeUInt16BE(packet.length, 2);
  const at = packet.indexOf(MA_PLACEHOLDER, 20);
  if (at !== -1)
    createHmac('md5', secret)
      .update(packet)
      .digest()
      .copy(packet, at + 2);
  createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
  return packet;
}

const REQUIRE = { requireMessageAuthenticator: true };
const LENIENT = { requireMessageAuthenticator: false };

const PPPOE_ATTRIBUTES = [
  attr(1, 'alice'),
  attr(2, randomBytes(16)),
  attr(4, Buffer.from([10, 0, 0, 1])),
  attr(5, u32(15728641)),
  attr(6, u32(2)),
  attr(7, u32(1)),
  attr(32, 'core-r1'),
  attr(61, u32(15)),
  attr(87, 'ether5'),
  attr(31, '0C:C4:7A:12:34:56'),
  attr(30, 'isp-pppoe'),
  attr(44, '81a00042'),
  vsa(14988, 9, 'example.net'),
];

describe('decodeRequest: accepted requests', () => {
  it('reads a RouterOS PPPoE Access-Request with Message-Authenticator first', () => {
    const packet = randomAuthRequest(1, [MA_PLACEHOLDER, ...PPPOE_ATTRIBUTES], 's3cret');
    const result = decodeRequest(packet, 's3cret', REQUIRE);
    if (!result.ok) throw new Error(result.detail);
    const { request } = result;
    expect(request).toMatchObject({
      code: 1,
      codeName: 'Access-Request',
      identifier: 7,
      hasMessageAuthenticator: true,
      userName: 'alice',
      nasIpAddress: '10.0.0.1',
      nasPort: 15728641,
      serviceType: 2,
      framedProtocol: 1,
      nasIdentifier: 'core-r1',
      nasPortType: 15,
      nasPortId: 'ether5',
      callingStationId: '0C:C4:7A:12:34:56',
      calledStationId: 'isp-pppoe',
      acctSessionId: '81a00042',
      mikrotikRealm: 'example.net',
    });
    expect(request.authenticator).toEqual(packet.subarray(4, 20));
    expect(request.datagram).toEqual(packet);
    expect(request.userPassword).toEqual(PPPOE_ATTRIBUTES[1].subarray(2));
    expect(request.get('Service-Type')).toBe('Framed-User');
    expect(request.get('Mikrotik-Realm')).toBe('example.net');
    expect(request.proxyStates).toEqual([]);
  });

  it('accepts a request without Message-Authenticator when the NAS is not required to send it', () => {
    const result = decodeRequest(randomAuthRequest(1, PPPOE_ATTRIBUTES, 'k'), 'k', LENIENT);
    expect(result.ok && result.request.hasMessageAuthenticator).toBe(false);
  });

  it('ignores octets past the Length field (RFC 2865 §3)', () => {
    const packet = randomAuthRequest(1, [MA_PLACEHOLDER, attr(1, 'bob')], 'k');
    const result = decodeRequest(Buffer.concat([packet, hex('01 07 65 76 69 6c')]), 'k', REQUIRE);
    expect(result.ok && result.request.datagram.length).toBe(packet.length);
    expect(result.ok && result.request.getAll('User-Name')).toEqual(['bob']);
  });

  it('keeps Proxy-State values in order, and Message-Authenticator anywhere in the packet verifies', () => {
    const packet = randomAuthRequest(1, [attr(1, 'bob'), attr(33, hex('0102')), MA_PLACEHOLDER, attr(33, hex('ff'))], 'k');
    const result = decodeRequest(packet, 'k', REQUIRE);
    expect(result.ok && result.request.proxyStates).toEqual([hex('0102'), hex('ff')]);
  });

  it('reads accounting counters, causes, times, Class and IPv6 attributes', () => {
    const packet = signedRequest(
      4,
      [
        attr(40, u32(2)),
        attr(44, '81a00042'),
        attr(46, u32(3600)),
        attr(42, u32(0xfffffff0)),
        attr(52, u32(3)),
        attr(43, u32(1234)),
        attr(47, u32(10)),
        attr(48, u32(20)),
        attr(49, u32(1)),
        attr(41, u32(5)),
        attr(55, u32(1_700_000_000)),
        attr(8, Buffer.from([100, 64, 0, 7])),
        attr(25, 'plan=gold'),
        attr(25, hex('00ff')),
        attr(95, hex('20010db8000000000000000000000001')),
        attr(97, hex('0040 20010db8 00010002')),
        attr(123, hex('0038 20010db8 aabbcc00 00000000 00000000')),
      ],
      'acct',
    );
    const result = decodeRequest(packet, 'acct', REQUIRE);
    if (!result.ok) throw new Error(result.detail);
    const r = result.request;
    expect(r).toMatchObject({
      acctStatusType: 2,
      acctSessionId: '81a00042',
      acctSessionTime: 3600,
      acctInputOctets: 0xfffffff0,
      acctInputGigawords: 3,
      acctInputBytes: 3 * 2 ** 32 + 0xfffffff0,
      acctOutputOctets: 1234,
      acctOutputBytes: 1234,
      acctInputPackets: 10,
      acctOutputPackets: 20,
      acctTerminateCause: 1,
      acctDelayTime: 5,
      eventTimestamp: 1_700_000_000,
      framedIpAddress: '100.64.0.7',
      nasIpv6Address: '2001:db8::1',
      framedIpv6Prefix: '2001:db8:1:2::/64',
      delegatedIpv6Prefix: '2001:db8:aabb:cc00::/56',
    });
    expect(r.classes).toEqual([Buffer.from('plan=gold'), hex('00ff')]);
    expect(r.get('Acct-Terminate-Cause')).toBe('User-Request');
    expect(r.get('Event-Timestamp')).toEqual(new Date(1_700_000_000_000));
  });

  it('verifies Disconnect and CoA requests (RFC 5176), with and without Message-Authenticator', () => {
    for (const code of [40, 43]) {
      expect(decodeRequest(signedRequest(code, [attr(1, 'bob'), attr(44, 'x')], 'k'), 'k', LENIENT).ok).toBe(true);
      expect(decodeRequest(signedRequest(code, [MA_PLACEHOLDER, attr(1, 'bob')], 'k'), 'k', LENIENT).ok).toBe(true);
    }
  });

  it('keeps a Vendor-Specific that is not in the RFC 2865 format as one opaque attribute', () => {
    const odd = Buffer.concat([hex('1a 0a 00 00 01 37'), hex('09 05 01 02')]); // sub-length 5 past the end
    const packet = randomAuthRequest(1, [MA_PLACEHOLDER, attr(1, 'bob'), odd, vsa(311, 11, randomBytes(16))], 'k');
    const result = decodeRequest(packet, 'k', REQUIRE);
    if (!result.ok) throw new Error(result.detail);
    const vendorSpecific = result.request.attributes.filter((a) => a.name === 'Vendor-Specific');
    expect(vendorSpecific).toHaveLength(1);
    expect(vendorSpecific[0].value).toEqual(odd.subarray(2));
    expect(result.request.msChapChallenge).toHaveLength(16);
  });

  it('hides passwords and keys from JSON and toRecord', () => {
    const packet = randomAuthRequest(1, [MA_PLACEHOLDER, attr(1, 'bob'), attr(2, Buffer.alloc(16, 0x41)), attr(3, randomBytes(17))], 'k');
    const result = decodeRequest(packet, 'k', REQUIRE);
    if (!result.ok) throw new Error(result.detail);
    const json = JSON.stringify(result.request);
    expect(json).toContain('"User-Name":"bob"');
    expect(json).toContain('"User-Password":"<hidden>"');
    expect(json).toContain('"CHAP-Password":"<hidden>"');
    expect(json).not.toContain('4141');
  });
});

describe('decodeRequest: every rejection', () => {
  const good = randomAuthRequest(1, [MA_PLACEHOLDER, attr(1, 'bob')], 'k');

  it.each([
    ['too short', good.subarray(0, 19), /shorter than a RADIUS header/],
    ['Length below 20', Buffer.concat([hex('01 01 00 13'), Buffer.alloc(16)]), /Length field 19/],
    ['Length beyond the datagram', good.subarray(0, good.length - 1), /longer than the/],
    [
      'attribute length 1',
      (() => {
        const p = Buffer.concat([hex('01 01 00 17'), Buffer.alloc(16), hex('01 01 00')]);
        return p;
      })(),
      /length 1/,
    ],
    ['attribute past the end', Buffer.concat([hex('01 01 00 17'), Buffer.alloc(16), hex('01 09 00')]), /runs past/],
    ['Message-Authenticator of 15 octets', Buffer.concat([hex('01 01 00 25'), Buffer.alloc(16), attr(80, Buffer.alloc(15))]), /length 17/],
  ])('malformed: %s', (_name, packet, detail) => {
    const result = decodeRequest(packet, 'k', LENIENT);
    expect(result).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!result.ok && result.detail).toMatch(detail);
  });

  it('malformed: two Message-Authenticators', () => {
    const packet = randomAuthRequest(1, [attr(80, randomBytes(16)), MA_PLACEHOLDER], 'k');
    expect(decodeRequest(packet, 'k', LENIENT)).toMatchObject({
      ok: false,
      reason: 'malformed',
      detail: 'two Message-Authenticator attributes',
    });
  });

  it.each([2, 3, 5, 11, 41, 44, 0, 255])('unsupported-code: %i', (code) => {
    const packet = Buffer.from(good);
    packet[0] = code;
    expect(decodeRequest(packet, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'unsupported-code' });
  });

  it.each([4, 40, 43])('bad-authenticator: code %i signed with another secret or altered', (code) => {
    const packet = signedRequest(code, [attr(1, 'bob'), attr(40, u32(1))], 'k');
    expect(decodeRequest(packet, 'K', LENIENT)).toMatchObject({ ok: false, reason: 'bad-authenticator' });
    const altered = Buffer.from(packet);
    altered[altered.length - 1] ^= 1;
    expect(decodeRequest(altered, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'bad-authenticator' });
    expect(decodeRequest(packet, 'k', LENIENT).ok).toBe(true);
  });

  it('bad-message-authenticator: Access-Request, Status-Server and CoA signed with another secret', () => {
    expect(decodeRequest(good, 'K', LENIENT)).toMatchObject({ ok: false, reason: 'bad-message-authenticator' });
    const status = randomAuthRequest(12, [MA_PLACEHOLDER], 'k', { wrongMa: true });
    expect(decodeRequest(status, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'bad-message-authenticator' });
    // A CoA whose MA was computed over its final authenticator instead of zeros (the `radius` package's way).
    const coa = Buffer.concat([hex('2b 01 00 00'), randomBytes(16), MA_PLACEHOLDER, attr(1, 'bob')]);
    coa.writeUInt16BE(coa.length, 2);
    createHash('md5').update(coa.subarray(0, 4)).update(Buffer.alloc(16)).update(coa.subarray(20)).update('k').digest().copy(coa, 4);
    createHmac('md5', 'k').update(coa).digest().copy(coa, 22);
    createHash('md5').update(coa.subarray(0, 4)).update(Buffer.alloc(16)).update(coa.subarray(20)).update('k').digest().copy(coa, 4);
    expect(decodeRequest(coa, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'bad-message-authenticator' });
  });

  it('bad-message-authenticator: one altered octet anywhere after signing', () => {
    for (const at of [1, 5, good.length - 1]) {
      const altered = Buffer.from(good);
      altered[at] ^= 0x10;
      expect(decodeRequest(altered, 'k', LENIENT), `octet ${at}`).toMatchObject({ ok: false, reason: 'bad-message-authenticator' });
    }
  });

  it('missing-message-authenticator: Access-Request when required, Status-Server always', () => {
    const bare = randomAuthRequest(1, [attr(1, 'bob')], 'k');
    expect(decodeRequest(bare, 'k', REQUIRE)).toMatchObject({ ok: false, reason: 'missing-message-authenticator' });
    expect(decodeRequest(bare, 'k', LENIENT).ok).toBe(true);
    const status = randomAuthRequest(12, [attr(32, 'r1')], 'k');
    expect(decodeRequest(status, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'missing-message-authenticator' });
    expect(decodeRequest(randomAuthRequest(12, [MA_PLACEHOLDER], 'k'), 'k', LENIENT).ok).toBe(true);
  });

  it('missing-message-authenticator: EAP-Message without it, whatever the NAS setting (RFC 3579 §3.2)', () => {
    const packet = randomAuthRequest(1, [attr(1, 'bob'), attr(79, hex('0201000501'))], 'k');
    expect(decodeRequest(packet, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'missing-message-authenticator' });
    expect(decodeRequest(randomAuthRequest(1, [attr(1, 'bob'), attr(79, hex('0201000501')), MA_PLACEHOLDER], 'k'), 'k', LENIENT).ok).toBe(
      true,
    );
  });

  it('proxy-state-without-message-authenticator: the limit_proxy_state check, unless turned off', () => {
    const packet = randomAuthRequest(1, [attr(1, 'bob'), attr(33, 'hop')], 'k');
    expect(decodeRequest(packet, 'k', LENIENT)).toMatchObject({ ok: false, reason: 'proxy-state-without-message-authenticator' });
    expect(decodeRequest(packet, 'k', { requireMessageAuthenticator: false, limitProxyState: false }).ok).toBe(true);
    // Accounting has no such rule: its Request Authenticator already covers Proxy-State.
    expect(decodeRequest(signedRequest(4, [attr(33, 'hop'), attr(40, u32(3))], 'k'), 'k', LENIENT).ok).toBe(true);
  });

  it('never puts the secret in a detail', () => {
    const secret = 'very-secret-value';
    for (const packet of [good, signedRequest(4, [attr(1, 'x')], 'k'), randomAuthRequest(1, [attr(1, 'b')], 'k')]) {
      const result = decodeRequest(packet, secret, REQUIRE);
      expect(!result.ok && result.detail).not.toContain(secret);
    }
  });
});

describe('peekHeader', () => {
  it('reads code, identifier, length and authenticator without walking attributes', () => {
    const packet = randomAuthRequest(1, [attr(1, 'bob'), hex('ff 01')], 'k'); // a broken attribute: not looked at
    expect(peekHeader(packet)).toEqual({ code: 1, identifier: 7, length: packet.length, authenticator: packet.subarray(4, 20) });
  });

  it('returns null for a short datagram or an impossible Length', () => {
    expect(peekHeader(Buffer.alloc(19))).toBeNull();
    expect(peekHeader(Buffer.concat([hex('01 01 00 30'), Buffer.alloc(16)]))).toBeNull();
    expect(peekHeader(Buffer.concat([hex('01 01 00 10'), Buffer.alloc(16)]))).toBeNull();
  });
});

describe('decodeUnverified', () => {
  it('reads who is asking without a secret, and nothing from garbage', () => {
    const packet = randomAuthRequest(1, [attr(32, 'stranger'), attr(4, Buffer.from([192, 0, 2, 1]))], 'unknown');
    expect(decodeUnverified(packet)).toMatchObject({ nasIdentifier: 'stranger', nasIpAddress: '192.0.2.1' });
    expect(decodeUnverified(packet)?.text('NAS-Identifier')).toBe('stranger');
    expect(decodeUnverified(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBeNull();
    expect(decodeUnverified(Buffer.concat([hex('01 01 00 17'), Buffer.alloc(16), hex('01 01 00')]))).toBeNull();
  });
});
