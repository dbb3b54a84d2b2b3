import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticateRequest, detectAuthMethod } from './authenticate';
import { decodeReply, encodeAccessRequest, encodeAccountingRequest, encodeRequest } from './client';
import { decodeRequest } from './decode-request';
import { encodeReply } from './encode-reply';
import { decryptMppeKey, getAsymmetricStartKey, getMasterKey, hashNtPasswordHash, msChap2SuccessMatches } from './mschapv2';

const SECRET = 'nas-secret';
const server = (packet: Buffer) => {
  const result = decodeRequest(packet, SECRET, { requireMessageAuthenticator: true });
  if (!result.ok) throw new Error(result.detail);
  return result.request;
};

describe('encodeRequest', () => {
  it('Access-Request: Message-Authenticator first, HMAC-MD5 over the packet as sent', () => {
    const { packet, authenticator } = encodeAccessRequest({
      identifier: 1,
      secret: SECRET,
      userName: 'a',
      credentials: { method: 'pap', password: 'p' },
    });
    expect(packet.subarray(4, 20)).toEqual(authenticator);
    expect(packet.subarray(20, 22)).toEqual(Buffer.from([80, 18]));
    const zeroed = Buffer.from(packet);
    zeroed.fill(0, 22, 38);
    expect(createHmac('md5', SECRET).update(zeroed).digest()).toEqual(packet.subarray(22, 38));
  });

  it('Accounting-Request: Request Authenticator = MD5(packet with zero authenticator + secret)', () => {
    const packet = encodeAccountingRequest({
      identifier: 2,
      secret: SECRET,
      attributes: [
        ['Acct-Status-Type', 'Start'],
        ['User-Name', 'a'],
      ],
    });
    const zeroed = Buffer.from(packet);
    zeroed.fill(0, 4, 20);
    expect(createHash('md5').update(zeroed).update(SECRET).digest()).toEqual(packet.subarray(4, 20));
  });

  it('Status-Server carries Message-Authenticator by default (RFC 5997)', () => {
    const packet = encodeRequest({ code: 'Status-Server', identifier: 3, secret: SECRET });
    expect(packet[20]).toBe(80);
    expect(decodeRequest(packet, SECRET, { requireMessageAuthenticator: true }).ok).toBe(true);
  });
});

describe('a full login, NAS side to server side and back', () => {
  it.each(['pap', 'chap', 'chap-authenticator', 'mschapv2'] as const)('%s: right password accepted, wrong one refused', (kind) => {
    const credentials =
      kind === 'chap-authenticator'
        ? ({ method: 'chap', password: 'Pa55 wörd', challenge: 'authenticator' } as const)
        : ({ method: kind, password: 'Pa55 wörd' } as const);
    const access = encodeAccessRequest({
      identifier: 77,
      secret: SECRET,
      userName: 'alice@example.net',
      credentials,
      attributes: [
        ['NAS-Identifier', 'core-r1'],
        ['Service-Type', 'Framed-User'],
        ['Framed-Protocol', 'PPP'],
      ],
    });
    const request = server(access.packet);
    expect(detectAuthMethod(request)).toBe(credentials.method);
    if (kind === 'chap-authenticator') expect(request.chapChallenge).toBeUndefined();

    for (const password of ['Pa55 word', 'Pa55 wörd!', 'Pa55', '']) {
      const wrong = authenticateRequest({ request, secret: SECRET, password });
      expect(wrong, password).toMatchObject({ ok: false, method: credentials.method, reason: 'wrong-password' });
    }
    const right = authenticateRequest({ request, secret: SECRET, password: 'Pa55 wörd' });
    expect(right.ok).toBe(true);
    if (!right.ok) return;

    const reply = encodeReply({
      request,
      code: 'Access-Accept',
      secret: SECRET,
      attributes: [...right.replyAttributes, ['Mikrotik-Rate-Limit', '10M/20M']],
    });
    const decoded = decodeReply({ reply, request: access.packet, secret: SECRET });
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.reply.codeName).toBe('Access-Accept');
    expect(decoded.reply.get('Mikrotik-Rate-Limit')).toBe('10M/20M');

    if (kind === 'mschapv2') {
      // The NAS checks the server knew the password, and opens the MPPE keys with the secret.
      const success = decoded.reply.raw('MS-CHAP2-Success')!;
      expect(msChap2SuccessMatches(success, access.msChapV2!.expectedAuthenticatorResponse)).toBe(true);
      const master = getMasterKey(hashNtPasswordHash(access.msChapV2!.passwordHash), access.msChapV2!.ntResponse);
      // NAS = PPP authenticator = the "server" of RFC 3079.
      expect(decryptMppeKey(decoded.reply.raw('MS-MPPE-Send-Key')!, SECRET, access.authenticator)).toEqual(
        getAsymmetricStartKey(master, 16, true, true),
      );
      expect(decryptMppeKey(decoded.reply.raw('MS-MPPE-Recv-Key')!, SECRET, access.authenticator)).toEqual(
        getAsymmetricStartKey(master, 16, false, true),
      );
      expect(decoded.reply.get('MS-MPPE-Encryption-Policy')).toBe('Encryption-Allowed');
    }
  });

  it('MS-CHAPv2 failure carries MS-CHAP-Error with the response ident', () => {
    const access = encodeAccessRequest({
      secret: SECRET,
      userName: 'bob',
      credentials: { method: 'mschapv2', password: 'a', ident: 0x33 },
    });
    const result = authenticateRequest({ request: server(access.packet), secret: SECRET, password: 'b' });
    expect(result.ok).toBe(false);
    const [[name, value]] = result.replyAttributes as Array<[string, Buffer]>;
    expect(name).toBe('MS-CHAP-Error');
    expect(value[0]).toBe(0x33);
    expect(value.subarray(1).toString()).toMatch(/^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failure$/);
  });

  it('says which requests it cannot serve', () => {
    const none = server(
      encodeRequest({
        code: 'Access-Request',
        identifier: 1,
        secret: SECRET,
        attributes: [['User-Name', 'a']],
        messageAuthenticator: true,
      }),
    );
    expect(authenticateRequest({ request: none, secret: SECRET, password: 'x' })).toMatchObject({ ok: false, reason: 'no-credentials' });
    const eap = server(
      encodeRequest({
        code: 'Access-Request',
        identifier: 1,
        secret: SECRET,
        attributes: [['EAP-Message', Buffer.from([2, 1, 0, 5, 1])]],
        messageAuthenticator: true,
      }),
    );
    expect(authenticateRequest({ request: eap, secret: SECRET, password: 'x' })).toMatchObject({
      ok: false,
      method: 'eap',
      reason: 'unsupported-method',
    });
    const shortChap = server(
      encodeRequest({
        code: 'Access-Request',
        identifier: 1,
        secret: SECRET,
        attributes: [['CHAP-Password', randomBytes(10)]],
        messageAuthenticator: true,
      }),
    );
    expect(authenticateRequest({ request: shortChap, secret: SECRET, password: 'x' })).toMatchObject({
      ok: false,
      reason: 'malformed-credentials',
    });
  });
});

describe('decodeReply', () => {
  const access = encodeAccessRequest({ identifier: 9, secret: SECRET, userName: 'a', credentials: { method: 'pap', password: 'p' } });
  const request = server(access.packet);
  const accept = encodeReply({ request, code: 'Access-Accept', secret: SECRET, attributes: [['Session-Timeout', 60]] });

  it('accepts a reply signed with the secret', () => {
    const result = decodeReply({ reply: accept, request: access.packet, secret: SECRET });
    expect(result.ok && result.reply.get('Session-Timeout')).toBe(60);
  });

  it('refuses another secret, another identifier, a reply to another request, a tampered one', () => {
    expect(decodeReply({ reply: accept, request: access.packet, secret: 'other' })).toMatchObject({
      ok: false,
      reason: 'bad-authenticator',
    });
    const otherId = Buffer.from(accept);
    otherId[1] = 10;
    expect(decodeReply({ reply: otherId, request: access.packet, secret: SECRET })).toMatchObject({
      ok: false,
      reason: 'identifier-mismatch',
    });
    const other = encodeAccessRequest({ identifier: 9, secret: SECRET, userName: 'a', credentials: { method: 'pap', password: 'p' } });
    expect(decodeReply({ reply: accept, request: other.packet, secret: SECRET })).toMatchObject({ ok: false, reason: 'bad-authenticator' });
    const tampered = Buffer.from(accept);
    tampered[tampered.length - 1] ^= 1;
    expect(decodeReply({ reply: tampered, request: access.packet, secret: SECRET })).toMatchObject({
      ok: false,
      reason: 'bad-authenticator',
    });
    expect(decodeReply({ reply: accept.subarray(0, 19), request: access.packet, secret: SECRET })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const accounting = encodeAccountingRequest({ identifier: 9, secret: SECRET, attributes: [['Acct-Status-Type', 'Start']] });
    expect(decodeReply({ reply: accept, request: accounting, secret: SECRET })).toMatchObject({ ok: false, reason: 'not-a-reply' });
  });

  it('refuses a Message-Authenticator that does not verify even when the Response Authenticator does', () => {
    const forged = Buffer.from(accept);
    forged[22] ^= 1;
    createHash('md5')
      .update(forged.subarray(0, 4))
      .update(access.authenticator)
      .update(forged.subarray(20))
      .update(SECRET)
      .digest()
      .copy(forged, 4);
    expect(decodeReply({ reply: forged, request: access.packet, secret: SECRET })).toMatchObject({
      ok: false,
      reason: 'bad-message-authenticator',
    });
  });

  it('requires Message-Authenticator in Access replies unless told otherwise', () => {
    // An Access-Accept signed the pre-BlastRADIUS way: no Message-Authenticator.
    const bare = Buffer.concat([Buffer.from([2, 9, 0, 26]), Buffer.alloc(16), Buffer.from([27, 6, 0, 0, 0, 60])]);
    createHash('md5')
      .update(bare.subarray(0, 4))
      .update(access.authenticator)
      .update(bare.subarray(20))
      .update(SECRET)
      .digest()
      .copy(bare, 4);
    expect(decodeReply({ reply: bare, request: access.packet, secret: SECRET })).toMatchObject({
      ok: false,
      reason: 'missing-message-authenticator',
    });
    expect(decodeReply({ reply: bare, request: access.packet, secret: SECRET, requireMessageAuthenticator: false }).ok).toBe(true);
  });
});
