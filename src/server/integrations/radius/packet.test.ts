import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RadiusCode,
  decodeRadiusPacket,
  describeErrorCause,
  encodeDynamicAuthRequest,
  encodeStatusServer,
  requestAuthenticatorMatches,
  responseAuthenticatorMatches,
} from './packet';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const md5 = (...parts: Array<Buffer | string>) => parts.reduce((h, p) => h.update(p), createHash('md5')).digest();
const attr = (type: number, value: Buffer | string) => {
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
};

// Built here from RFC 5176 §2.3 with node:crypto alone, independently of packet.ts and the radius package.
function referenceRequest(code: number, identifier: number, attributes: Buffer, secret: string): Buffer {
  const header = Buffer.from([code, identifier, 0, 0]);
  header.writeUInt16BE(20 + attributes.length, 2);
  const authenticator = md5(header, Buffer.alloc(16), attributes, secret);
  return Buffer.concat([header, authenticator, attributes]);
}

function referenceResponse(code: number, request: Buffer, attributes: Buffer, secret: string): Buffer {
  const header = Buffer.from([code, request[1], 0, 0]);
  header.writeUInt16BE(20 + attributes.length, 2);
  const authenticator = md5(header, request.subarray(4, 20), attributes, secret);
  return Buffer.concat([header, authenticator, attributes]);
}

const ATTRS = Buffer.concat([
  attr(1, 'alice'), // User-Name
  attr(44, '81a00001'), // Acct-Session-Id
  attr(8, Buffer.from([10, 0, 0, 9])), // Framed-IP-Address
]);

describe('encodeDynamicAuthRequest', () => {
  const codes = [RadiusCode.DisconnectRequest, RadiusCode.CoaRequest];
  it.each(codes)('signs code %i like RFC 5176 §2.3, byte for byte', (code) => {
    const encoded = encodeDynamicAuthRequest({
      code,
      identifier: 7,
      secret: 's3cret',
      attributes: [
        ['User-Name', 'alice'],
        ['Acct-Session-Id', '81a00001'],
        ['Framed-IP-Address', '10.0.0.9'],
      ],
    });
    expect(encoded.toString('hex')).toBe(referenceRequest(code, 7, ATTRS, 's3cret').toString('hex'));
  });
});

describe('requestAuthenticatorMatches', () => {
  const request = referenceRequest(RadiusCode.DisconnectRequest, 42, ATTRS, 's3cret');

  it('accepts the right secret and refuses a wrong one', () => {
    expect(requestAuthenticatorMatches(request, 's3cret')).toBe(true);
    expect(requestAuthenticatorMatches(request, 's3cret!')).toBe(false);
  });

  it('refuses a tampered attribute, a truncated packet, and garbage', () => {
    const tampered = Buffer.from(request);
    tampered[tampered.length - 1] ^= 1;
    expect(requestAuthenticatorMatches(tampered, 's3cret')).toBe(false);
    expect(requestAuthenticatorMatches(request.subarray(0, request.length - 1), 's3cret')).toBe(false);
    expect(requestAuthenticatorMatches(Buffer.alloc(8), 's3cret')).toBe(false);
  });

  it('ignores padding after the Length field (RFC 2865 §3)', () => {
    expect(requestAuthenticatorMatches(Buffer.concat([request, Buffer.alloc(3)]), 's3cret')).toBe(true);
  });
});

describe('responseAuthenticatorMatches', () => {
  it('verifies the RFC 2865 §7.2 Access-Accept example (secret "xyzzy5461")', () => {
    const request = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be
      70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
    const response = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00
      00 00 0e 06 c0 a8 01 03`);
    expect(responseAuthenticatorMatches({ request, response, secret: 'xyzzy5461' })).toBe(true);
    expect(responseAuthenticatorMatches({ request, response, secret: 'xyzzy5462' })).toBe(false);
  });

  it('verifies a Disconnect-NAK and refuses one for another identifier or request', () => {
    const request = encodeDynamicAuthRequest({
      code: RadiusCode.DisconnectRequest,
      identifier: 9,
      secret: 'k',
      attributes: [['User-Name', 'bob']],
    });
    const nak = referenceResponse(RadiusCode.DisconnectNak, request, hex('65 06 00 00 01 f7'), 'k');
    expect(responseAuthenticatorMatches({ request, response: nak, secret: 'k' })).toBe(true);
    expect(responseAuthenticatorMatches({ request, response: nak, secret: 'K' })).toBe(false);

    const otherRequest = Buffer.from(request);
    otherRequest[1] = 10;
    expect(responseAuthenticatorMatches({ request: otherRequest, response: nak, secret: 'k' })).toBe(false);
  });
});

describe('encodeStatusServer', () => {
  it('reproduces the RFC 5997 §6.1 example, Message-Authenticator included', () => {
    const encoded = encodeStatusServer({
      identifier: 0xda,
      secret: 'xyzzy5461',
      authenticator: hex('8a 54 f4 68 6f b3 94 c5 28 66 e3 02 18 5d 06 23'),
    });
    expect(encoded.toString('hex')).toBe(
      hex(`0c da 00 26 8a 54 f4 68 6f b3 94 c5 28 66 e3 02 18 5d 06 23
        50 12 5a 66 5e 2e 1e 84 11 f3 e2 43 82 20 97 c8 4f a3`).toString('hex'),
    );
  });
});

describe('decodeRadiusPacket', () => {
  it('reads the code, identifier and Error-Cause of a Disconnect-NAK', () => {
    const request = referenceRequest(RadiusCode.DisconnectRequest, 3, ATTRS, 'k');
    const nak = referenceResponse(RadiusCode.DisconnectNak, request, hex('65 06 00 00 01 f7'), 'k');
    const decoded = decodeRadiusPacket(nak);
    expect(decoded).toMatchObject({
      code: 42,
      codeName: 'Disconnect-NAK',
      identifier: 3,
      errorCause: 503,
      errorCauseName: 'Session-Context-Not-Found',
    });
    expect(describeErrorCause(decoded!)).toBe('Error-Cause 503 Session-Context-Not-Found');
  });

  it('decodes request attributes by dictionary name', () => {
    const decoded = decodeRadiusPacket(referenceRequest(RadiusCode.CoaRequest, 1, ATTRS, 'k'));
    expect(decoded?.attributes).toMatchObject({
      'User-Name': 'alice',
      'Acct-Session-Id': '81a00001',
      'Framed-IP-Address': '10.0.0.9',
    });
  });

  it('keeps an Error-Cause the dictionaries do not name', () => {
    const decoded = decodeRadiusPacket(referenceResponse(45, Buffer.alloc(20), hex('65 06 00 00 02 9a'), 'k'));
    expect(decoded).toMatchObject({ codeName: 'CoA-NAK', errorCause: 666 });
    expect(decoded?.errorCauseName).toBeUndefined();
    expect(describeErrorCause(decoded!)).toBe('Error-Cause 666');
  });

  it('returns null for datagrams that are not RADIUS', () => {
    expect(decodeRadiusPacket(Buffer.alloc(0))).toBeNull();
    expect(decodeRadiusPacket(Buffer.from('hello, this is not a radius packet'))).toBeNull();
    expect(decodeRadiusPacket(hex('ff 01 00 14 00000000000000000000000000000000'))).toBeNull(); // unknown code
    expect(decodeRadiusPacket(hex('2a 01 00 17 00000000000000000000000000000000 01 01 00'))).toBeNull(); // attr length 1
  });
});
