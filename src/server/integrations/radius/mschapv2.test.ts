import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md4 } from './md4';
import {
  buildMsChap2Response,
  challengeHash,
  decryptMppeKey,
  encryptMppeKey,
  generateAuthenticatorResponse,
  generateNtResponse,
  getAsymmetricStartKey,
  getMasterKey,
  hashNtPasswordHash,
  msChap2SuccessMatches,
  msChapV2AcceptAttributes,
  ntPasswordHash,
  verifyMsChapV2,
} from './mschapv2';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('md4 (RFC 1320 §A.5 test suite)', () => {
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ])('MD4(%j)', (input, digest) => {
    expect(md4(Buffer.from(input, 'ascii')).toString('hex')).toBe(digest);
  });

  // Lengths around the 55/56/64-octet padding edges, against OpenSSL's legacy provider when the CLI has it.
  const openssl = spawnSync('openssl', ['dgst', '-provider', 'legacy', '-md4'], { input: 'abc' });
  it.skipIf(openssl.status !== 0)('agrees with openssl -provider legacy on 0-200 random octets', () => {
    for (const length of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200]) {
      const input = randomBytes(length);
      const out = spawnSync('openssl', ['dgst', '-provider', 'legacy', '-md4', '-r'], { input }).stdout.toString();
      expect(md4(input).toString('hex'), `length ${length}`).toBe(out.slice(0, 32));
    }
  });
});

// RFC 2759 §9.2 and RFC 3079 §3.5.3 share these inputs.
const USER = 'User';
const PASSWORD = 'clientPass';
const AUTH_CHALLENGE = hex('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28');
const PEER_CHALLENGE = hex('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E');
const NT_RESPONSE = hex('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
const PASSWORD_HASH = hex('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE');
const PASSWORD_HASH_HASH = hex('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F');

describe('MS-CHAPv2, RFC 2759 §9.2 worked example', () => {
  it('ChallengeHash', () => {
    expect(challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, USER)).toEqual(hex('D0 2E 43 86 BC E9 12 26'));
  });

  it('NtPasswordHash and HashNtPasswordHash', () => {
    expect(ntPasswordHash(PASSWORD)).toEqual(PASSWORD_HASH);
    expect(hashNtPasswordHash(PASSWORD_HASH)).toEqual(PASSWORD_HASH_HASH);
  });

  it('NT-Response (DES through 3DES-EDE with one key)', () => {
    expect(
      generateNtResponse({ authenticatorChallenge: AUTH_CHALLENGE, peerChallenge: PEER_CHALLENGE, userName: USER, password: PASSWORD }),
    ).toEqual(NT_RESPONSE);
  });

  it('AuthenticatorResponse', () => {
    expect(
      generateAuthenticatorResponse({
        passwordHash: PASSWORD_HASH,
        ntResponse: NT_RESPONSE,
        peerChallenge: PEER_CHALLENGE,
        authenticatorChallenge: AUTH_CHALLENGE,
        userName: USER,
      }),
    ).toBe('S=407A5589115FD0D6209F510FE9C04566932CDA56');
  });

  it('hashes only the user part of DOMAIN\\user', () => {
    expect(challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, 'CORP\\User')).toEqual(hex('D0 2E 43 86 BC E9 12 26'));
  });
});

describe('MPPE keys, RFC 3079 §3.5.3 (128-bit)', () => {
  it('MasterKey and the server send start key', () => {
    const master = getMasterKey(PASSWORD_HASH_HASH, NT_RESPONSE);
    expect(master).toEqual(hex('FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31'));
    expect(getAsymmetricStartKey(master, 16, true, true)).toEqual(hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
  });

  it("one side's send key is the other's receive key, and send ≠ receive", () => {
    const master = getMasterKey(PASSWORD_HASH_HASH, NT_RESPONSE);
    expect(getAsymmetricStartKey(master, 16, false, false)).toEqual(getAsymmetricStartKey(master, 16, true, true));
    expect(getAsymmetricStartKey(master, 16, true, false)).toEqual(getAsymmetricStartKey(master, 16, false, true));
    expect(getAsymmetricStartKey(master, 16, true, true)).not.toEqual(getAsymmetricStartKey(master, 16, false, true));
  });
});

describe('MS-MPPE-Send-Key / Recv-Key hiding (RFC 2548 §2.4.2)', () => {
  const secret = 'xyzzy5461';
  const requestAuthenticator = hex('0f403f9473978057bd83d5cb98f4227a');
  const key = hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB');
  const salt = hex('8a 3c');

  it('matches the RFC construction computed here with MD5 alone', () => {
    const plain = Buffer.concat([Buffer.from([16]), key, Buffer.alloc(15)]);
    const b1 = createHash('md5').update(secret).update(requestAuthenticator).update(salt).digest();
    const c1 = Buffer.from(plain.subarray(0, 16).map((p, i) => p ^ b1[i]));
    const b2 = createHash('md5').update(secret).update(c1).digest();
    const c2 = Buffer.from(plain.subarray(16, 32).map((p, i) => p ^ b2[i]));
    expect(encryptMppeKey(key, secret, requestAuthenticator, salt)).toEqual(Buffer.concat([salt, c1, c2]));
  });

  it('round trips, and another secret or request does not open it', () => {
    const hidden = encryptMppeKey(key, secret, requestAuthenticator, salt);
    expect(decryptMppeKey(hidden, secret, requestAuthenticator)).toEqual(key);
    expect(decryptMppeKey(hidden, 'other', requestAuthenticator)).not.toEqual(key);
    expect(decryptMppeKey(hidden, secret, randomBytes(16))).not.toEqual(key);
  });

  it('refuses a salt without the high bit', () => {
    expect(() => encryptMppeKey(key, secret, requestAuthenticator, hex('0a 3c'))).toThrow(/high bit/);
  });
});

describe('verifyMsChapV2', () => {
  const response = buildMsChap2Response({ ident: 0x2a, flags: 0, peerChallenge: PEER_CHALLENGE, ntResponse: NT_RESPONSE });

  it('accepts the RFC example and returns MS-CHAP2-Success and the RFC 3079 keys', () => {
    const result = verifyMsChapV2({ userName: USER, password: PASSWORD, authenticatorChallenge: AUTH_CHALLENGE, response });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.success).toEqual(Buffer.concat([Buffer.from([0x2a]), Buffer.from('S=407A5589115FD0D6209F510FE9C04566932CDA56')]));
    expect(result.sendKey).toEqual(hex('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
    expect(msChap2SuccessMatches(result.success, 'S=407A5589115FD0D6209F510FE9C04566932CDA56')).toBe(true);
    expect(msChap2SuccessMatches(result.success, 'S=407A5589115FD0D6209F510FE9C04566932CDA57')).toBe(false);
  });

  it('refuses a wrong password with MS-CHAP-Error 691 carrying the ident and a fresh challenge', () => {
    const result = verifyMsChapV2({ userName: USER, password: 'clientPasz', authenticatorChallenge: AUTH_CHALLENGE, response });
    expect(result).toMatchObject({ ok: false, reason: 'wrong-password', ident: 0x2a });
    if (result.ok) return;
    expect(result.error[0]).toBe(0x2a);
    expect(result.error.subarray(1).toString('ascii')).toMatch(/^E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failure$/);
  });

  it('refuses another user name, challenge, or a malformed response', () => {
    expect(verifyMsChapV2({ userName: 'user', password: PASSWORD, authenticatorChallenge: AUTH_CHALLENGE, response }).ok).toBe(false);
    expect(verifyMsChapV2({ userName: USER, password: PASSWORD, authenticatorChallenge: randomBytes(16), response }).ok).toBe(false);
    expect(
      verifyMsChapV2({ userName: USER, password: PASSWORD, authenticatorChallenge: AUTH_CHALLENGE, response: response.subarray(0, 49) }),
    ).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('builds the Accept attributes: success, hidden keys a NAS can open, policy and types', () => {
    const result = verifyMsChapV2({ userName: USER, password: PASSWORD, authenticatorChallenge: AUTH_CHALLENGE, response });
    if (!result.ok) throw new Error('expected success');
    const requestAuthenticator = randomBytes(16);
    const attributes = Object.fromEntries(msChapV2AcceptAttributes(result, { secret: 's', requestAuthenticator }));
    expect(attributes['MS-CHAP2-Success']).toEqual(result.success);
    expect(decryptMppeKey(attributes['MS-MPPE-Send-Key'] as Buffer, 's', requestAuthenticator)).toEqual(result.sendKey);
    expect(decryptMppeKey(attributes['MS-MPPE-Recv-Key'] as Buffer, 's', requestAuthenticator)).toEqual(result.recvKey);
    expect((attributes['MS-MPPE-Send-Key'] as Buffer).subarray(0, 2)).not.toEqual(
      (attributes['MS-MPPE-Recv-Key'] as Buffer).subarray(0, 2),
    );
    expect(attributes['MS-MPPE-Encryption-Policy']).toBe(1);
    expect(attributes['MS-MPPE-Encryption-Types']).toBe(6);
  });
});
