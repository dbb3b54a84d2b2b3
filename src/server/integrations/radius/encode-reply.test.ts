import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeAccessRequest, encodeAccountingRequest, encodeRequest } from './client';
import { decodeRequest } from './decode-request';
import { RadiusAttributeError } from './encode-attributes';
import { encodeReply } from './encode-reply';
import type { RadiusRequest } from './message';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SECRET = 'xyzzy5461';

function received(packet: Buffer, secret = SECRET): RadiusRequest {
  const result = decodeRequest(packet, secret, { requireMessageAuthenticator: false, limitProxyState: false });
  if (!result.ok) throw new Error(result.detail);
  return result.request;
}

/** Attributes of a reply as [type, value] pairs, walked here independently of wire.ts. */
function tlvs(packet: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  for (let at = 20; at < packet.length; at += packet[at + 1]) out.push([packet[at], packet.subarray(at + 2, at + packet[at + 1])]);
  return out;
}

/** RFC 3579 §3.2 / RFC 2865 §3, recomputed from the bytes with node:crypto alone. */
function checkSignatures(reply: Buffer, request: RadiusRequest, secret = SECRET) {
  const withRequestAuth = Buffer.from(reply);
  request.authenticator.copy(withRequestAuth, 4);
  const maAt = tlvs(reply).findIndex(([type]) => type === 80);
  if (maAt !== -1) {
    const zeroed = Buffer.from(withRequestAuth);
    let offset = 20;
    for (let i = 0; i < maAt; i++) offset += zeroed[offset + 1];
    zeroed.fill(0, offset + 2, offset + 18);
    expect(createHmac('md5', secret).update(zeroed).digest(), 'Message-Authenticator').toEqual(reply.subarray(offset + 2, offset + 18));
  }
  expect(createHash('md5').update(withRequestAuth).update(secret).digest(), 'Response Authenticator').toEqual(reply.subarray(4, 20));
}

describe('encodeReply', () => {
  const access = received(
    encodeAccessRequest({ identifier: 42, secret: SECRET, userName: 'alice', credentials: { method: 'pap', password: 'pw' } }).packet,
  );

  it.each(['Access-Accept', 'Access-Reject', 'Access-Challenge'] as const)(
    '%s: Message-Authenticator first, both signatures verify',
    (code) => {
      const reply = encodeReply({ request: access, code, secret: SECRET, attributes: [['Reply-Message', 'hello']] });
      expect(reply[0]).toBe({ 'Access-Accept': 2, 'Access-Reject': 3, 'Access-Challenge': 11 }[code]);
      expect(reply[1]).toBe(42);
      expect(reply.readUInt16BE(2)).toBe(reply.length);
      const attributes = tlvs(reply);
      expect(attributes[0][0]).toBe(80);
      expect(attributes[0][1]).toHaveLength(16);
      expect(attributes.filter(([type]) => type === 80)).toHaveLength(1);
      checkSignatures(reply, access);
    },
  );

  it('adds Message-Authenticator even when the request had none (BlastRADIUS)', () => {
    const bare = received(
      encodeAccessRequest({ secret: SECRET, userName: 'a', credentials: { method: 'pap', password: 'p' }, messageAuthenticator: false })
        .packet,
    );
    expect(bare.hasMessageAuthenticator).toBe(false);
    const reply = encodeReply({ request: bare, code: 'Access-Reject', secret: SECRET });
    expect(tlvs(reply)[0][0]).toBe(80);
    checkSignatures(reply, bare);
  });

  it('reproduces the RFC 2865 §7.1 reply octets when Message-Authenticator is left out of the comparison', () => {
    // RFC 2865 §7.1: Access-Accept for "nemo", Service-Type Login, Login-Service Telnet, Login-IP-Host 192.168.1.3.
    const request = received(
      hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be
        70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`),
    );
    const reply = encodeReply({
      request,
      code: 'Access-Accept',
      secret: SECRET,
      attributes: [
        ['Service-Type', 'Login-User'],
        ['Login-Service', 'Telnet'],
        ['Login-IP-Host', '192.168.1.3'],
      ],
    });
    expect(reply.subarray(38).toString('hex')).toBe('0606000000010f06000000000e06c0a80103');
    checkSignatures(reply, request);
  });

  it('copies Proxy-State values last, unchanged and in order', () => {
    const states = [hex('01'), randomBytes(40), hex('00ff00')];
    const request = received(
      encodeAccessRequest({ secret: SECRET, userName: 'a', credentials: { method: 'pap', password: 'p' }, proxyStates: states }).packet,
    );
    const reply = encodeReply({ request, code: 'Access-Accept', secret: SECRET, attributes: [['Session-Timeout', 60]] });
    const attributes = tlvs(reply);
    expect(attributes.slice(-3)).toEqual(states.map((s) => [33, s]));
    checkSignatures(reply, request);
  });

  it('encodes MikroTik, WISPr and RFC attributes by name', () => {
    const reply = encodeReply({
      request: access,
      code: 'Access-Accept',
      secret: SECRET,
      attributes: [
        ['Framed-IP-Address', '100.64.1.20'],
        ['Framed-Pool', 'pool-gold'],
        ['Session-Timeout', 86400],
        ['Acct-Interim-Interval', 300],
        ['Filter-Id', 'FUP1'],
        ['Class', 'sub=1234'],
        ['Mikrotik-Rate-Limit', '10M/20M'],
        ['Mikrotik-Address-List', 'active'],
        ['WISPr-Bandwidth-Max-Up', 10_000_000],
        ['WISPr-Bandwidth-Max-Down', 20_000_000],
        ['Framed-IPv6-Prefix', '2001:db8:0:1::/64'],
      ],
    });
    expect(tlvs(reply).slice(1)).toEqual([
      [8, hex('64400114')],
      [88, Buffer.from('pool-gold')],
      [27, hex('00015180')],
      [85, hex('0000012c')],
      [11, Buffer.from('FUP1')],
      [25, Buffer.from('sub=1234')],
      [26, Buffer.concat([hex('00003a8c 08 09'), Buffer.from('10M/20M')])],
      [26, Buffer.concat([hex('00003a8c 13 08'), Buffer.from('active')])],
      [26, hex('0000372a 07 06 00989680')],
      [26, hex('0000372a 08 06 01312d00')],
      [97, hex('0040 20010db8000000010000000000000000')],
    ]);
    checkSignatures(reply, access);
  });

  it('splits a long Reply-Message over several attributes (RFC 2865 §5.18) and refuses to split others', () => {
    const long = 'x'.repeat(600);
    const reply = encodeReply({ request: access, code: 'Access-Reject', secret: SECRET, attributes: [['Reply-Message', long]] });
    const messages = tlvs(reply).filter(([type]) => type === 18);
    expect(messages.map(([, v]) => v.length)).toEqual([253, 253, 94]);
    expect(Buffer.concat(messages.map(([, v]) => v)).toString()).toBe(long);
    checkSignatures(reply, access);

    expect(() => encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes: [['Class', 'c'.repeat(254)]] })).toThrow(
      /Class is 254 octets; one RADIUS attribute carries at most 253/,
    );
    expect(() =>
      encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes: [['Mikrotik-Rate-Limit', 'r'.repeat(248)]] }),
    ).toThrow(/at most 247 inside Vendor-Specific/);
    expect(() =>
      encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes: [['Class', 'c'.repeat(253)]] }),
    ).not.toThrow();
  });

  it('refuses values that cannot be sent, with a message naming the attribute', () => {
    const bad: Array<[string, string | number | Buffer, RegExp]> = [
      ['Framed-IP-Address', '10.0.0.300', /Framed-IP-Address must be an IPv4 address/],
      ['Session-Timeout', -1, /Session-Timeout must be an integer from 0 to 4294967295/],
      ['Session-Timeout', 2 ** 32, /Session-Timeout must be an integer/],
      ['Service-Type', 'Framed-Usr', /Service-Type must be an integer .* or one of its names/],
      ['Filter-Id', '', /Filter-Id is empty/],
      ['No-Such-Attribute', 'x', /unknown RADIUS attribute "No-Such-Attribute"/],
      ['Message-Authenticator', Buffer.alloc(16), /added by the encoder/],
      ['Proxy-State', Buffer.alloc(2), /added by the encoder/],
      ['User-Password', 'pw', /Access-Request only/],
      ['MS-MPPE-Send-Key', 'x', /must be given as its encoded octets/],
      ['Framed-IPv6-Prefix', '2001:db8::1/64', /IPv6 prefix/],
    ];
    for (const [name, value, message] of bad) {
      expect(() => encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes: [[name, value]] }), name).toThrow(
        RadiusAttributeError,
      );
      expect(() => encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes: [[name, value]] }), name).toThrow(
        message,
      );
    }
  });

  it('refuses a reply over 4096 octets', () => {
    const attributes = Array.from({ length: 17 }, () => ['Class', 'c'.repeat(240)] as const);
    expect(() => encodeReply({ request: access, code: 'Access-Accept', secret: SECRET, attributes })).toThrow(/at most 4096/);
  });

  it('refuses a reply code that does not answer the request', () => {
    expect(() => encodeReply({ request: access, code: 'Accounting-Response', secret: SECRET })).toThrow(/does not answer/);
    const accounting = received(encodeAccountingRequest({ secret: SECRET, attributes: [['Acct-Status-Type', 'Start']] }));
    expect(() => encodeReply({ request: accounting, code: 'Access-Accept', secret: SECRET })).toThrow(/does not answer/);
  });

  it('Accounting-Response: no Message-Authenticator, Response Authenticator over the request', () => {
    const accounting = received(
      encodeAccountingRequest({
        identifier: 3,
        secret: SECRET,
        attributes: [['Acct-Status-Type', 'Interim-Update']],
        messageAuthenticator: true,
      }),
    );
    const reply = encodeReply({ request: accounting, code: 'Accounting-Response', secret: SECRET });
    expect(reply.length).toBe(20);
    checkSignatures(reply, accounting);
  });

  it('Disconnect/CoA answers carry Message-Authenticator first only when the request did', () => {
    for (const messageAuthenticator of [true, false]) {
      const request = received(
        encodeRequest({ code: 'CoA-Request', identifier: 5, secret: SECRET, attributes: [['User-Name', 'a']], messageAuthenticator }),
      );
      const reply = encodeReply({ request, code: 'CoA-NAK', secret: SECRET, attributes: [['Error-Cause', 503]] });
      expect(tlvs(reply)[0][0]).toBe(messageAuthenticator ? 80 : 101);
      checkSignatures(reply, request);
    }
  });

  it('answers Status-Server on either port', () => {
    const status = received(encodeRequest({ code: 'Status-Server', identifier: 1, secret: SECRET }));
    checkSignatures(encodeReply({ request: status, code: 'Access-Accept', secret: SECRET }), status);
    checkSignatures(encodeReply({ request: status, code: 'Accounting-Response', secret: SECRET }), status);
  });
});
