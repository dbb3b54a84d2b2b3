import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accessRequest,
  accountingRequest,
  Attr,
  checkReply,
  Code,
  decodeRequest,
  decryptPassword,
  encodeReply,
  encryptPassword,
  int,
  str,
} from './packet';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 2865 §7.1: user "nemo", password "arctangent", secret "xyzzy5461".
const RFC_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
  93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
  0e 06 c0 a8 01 03`);
const RFC_SECRET = 'xyzzy5461';

describe('the generator’s RADIUS encoding', () => {
  it('encrypts User-Password as RFC 2865’s example does', () => {
    const ra = RFC_REQUEST.subarray(4, 20);
    expect(encryptPassword('arctangent', RFC_SECRET, ra).toString('hex')).toBe(RFC_REQUEST.subarray(28, 44).toString('hex'));
    expect(decryptPassword(RFC_REQUEST.subarray(28, 44), RFC_SECRET, ra)).toBe('arctangent');
  });

  it('verifies the Response Authenticator of RFC 2865’s Access-Accept, and only with the right secret and request', () => {
    const ra = RFC_REQUEST.subarray(4, 20);
    expect(checkReply(RFC_ACCEPT, ra, RFC_SECRET)).toEqual({ ok: true, code: Code.AccessAccept });
    expect(checkReply(RFC_ACCEPT, ra, 'xyzzy5462').ok).toBe(false);
    expect(checkReply(RFC_ACCEPT, Buffer.alloc(16), RFC_SECRET).ok).toBe(false);
    const tampered = Buffer.from(RFC_ACCEPT);
    tampered[RFC_ACCEPT.length - 1] ^= 1;
    expect(checkReply(tampered, ra, RFC_SECRET).ok).toBe(false);
    expect(checkReply(RFC_ACCEPT.subarray(0, 30), ra, RFC_SECRET)).toMatchObject({ ok: false, reason: expect.stringContaining('length') });
  });

  it('encrypts passwords of one, two and eight blocks so that they decrypt back', () => {
    for (const pw of ['x', 'exactly-16-chars', 'seventeen-chars!!', 'p'.repeat(128)]) {
      const ra = Buffer.from('0123456789abcdef');
      const c = encryptPassword(pw, 'sec', ra);
      expect(c.length % 16).toBe(0);
      expect(c.length).toBe(Math.max(16, Math.ceil(pw.length / 16) * 16));
      expect(decryptPassword(c, 'sec', ra)).toBe(pw);
      expect(decryptPassword(c, 'other', ra)).not.toBe(pw);
    }
  });

  it('signs an Access-Request with Message-Authenticator first, which verifies with its secret only', () => {
    const { packet, authenticator } = accessRequest({ id: 7, secret: 's3', password: 'hunter2', attrs: [str(Attr.UserName, 'alice')] });
    expect(packet[0]).toBe(Code.AccessRequest);
    expect(packet[1]).toBe(7);
    expect(packet.readUInt16BE(2)).toBe(packet.length);
    expect(packet[20]).toBe(Attr.MessageAuthenticator);
    const req = decodeRequest(packet, 's3')!;
    expect(req).not.toBeNull();
    expect(req.authenticator).toEqual(authenticator);
    expect(req.attrs.get(Attr.UserName)![0].toString()).toBe('alice');
    expect(decryptPassword(req.attrs.get(Attr.UserPassword)![0], 's3', authenticator)).toBe('hunter2');
    expect(decodeRequest(packet, 's4')).toBeNull();
    const tampered = Buffer.from(packet);
    tampered[tampered.length - 1] ^= 1;
    expect(decodeRequest(tampered, 's3')).toBeNull();
  });

  it('signs an Accounting-Request per RFC 2866 (MD5 over the packet with 16 zero octets, then the secret)', () => {
    const { packet, authenticator } = accountingRequest({
      id: 200,
      secret: 'acct',
      attrs: [int(Attr.AcctStatusType, 1), str(Attr.AcctSessionId, 'abc')],
    });
    expect(packet.subarray(4, 20)).toEqual(authenticator);
    expect(decodeRequest(packet, 'acct')?.attrs.get(Attr.AcctSessionId)![0].toString()).toBe('abc');
    expect(decodeRequest(packet, 'acct2')).toBeNull();
    const tampered = Buffer.from(packet);
    tampered[tampered.length - 1] ^= 1;
    expect(decodeRequest(tampered, 'acct')).toBeNull();
  });

  it('checks a reply’s Message-Authenticator as well as its Response Authenticator', () => {
    const { packet, authenticator } = accessRequest({ id: 1, secret: 's', password: 'p', attrs: [str(Attr.UserName, 'u')] });
    const req = decodeRequest(packet, 's')!;
    const reply = encodeReply({
      code: Code.AccessAccept,
      request: req,
      secret: 's',
      messageAuthenticator: true,
      attrs: [str(Attr.ReplyMessage, 'hi')],
    });
    expect(reply[20]).toBe(Attr.MessageAuthenticator);
    expect(checkReply(reply, authenticator, 's')).toEqual({ ok: true, code: Code.AccessAccept });
    // A wrong Message-Authenticator with a Response Authenticator recomputed over it: only the HMAC can tell.
    const forged = Buffer.from(reply);
    forged[22] ^= 1;
    const ra = Buffer.from(forged);
    authenticator.copy(ra, 4);
    createHash('md5').update(ra).update('s').digest().copy(forged, 4);
    expect(checkReply(forged, authenticator, 's')).toMatchObject({ ok: false, reason: expect.stringContaining('Message-Authenticator') });
  });
});
