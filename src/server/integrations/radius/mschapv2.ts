// MS-CHAPv2 (RFC 2759), its MPPE keys (RFC 3079) and how RADIUS carries them (RFC 2548).
// Node 20's OpenSSL has neither MD4 (md4.ts is ours) nor single DES: single DES is 3DES-EDE with the same
// key three times (E(K, D(K, E(K, x))) = E(K, x)).
import crypto, { createCipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { md4 } from './md4';
import { md5 } from './md5';
import { secretBytes, type RadiusSecret } from './wire';

/** SHA-1 of the parts in one native call where Node has crypto.hash (20.12+); createHash costs one per update. */
function sha1(...parts: Buffer[]): Buffer {
  if (typeof crypto.hash === 'function') return crypto.hash('sha1', Buffer.concat(parts), 'buffer');
  return parts.reduce((h, p) => h.update(p), crypto.createHash('sha1')).digest();
}

// --- RFC 2759 §8 -------------------------------------------------------------------------------------------

/** NtPasswordHash: MD4 of the password in UTF-16LE ("Unicode"). */
export function ntPasswordHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

export function hashNtPasswordHash(passwordHash: Buffer): Buffer {
  return md4(passwordHash);
}

/**
 * The name that enters ChallengeHash: without a leading "DOMAIN\" (Windows sends DOMAIN\user in User-Name
 * but hashes only the user part; FreeRADIUS's with_ntdomain_hack, on by default, does the same).
 */
export function msChapUserName(userName: string): string {
  const slash = userName.indexOf('\\');
  return slash === -1 ? userName : userName.slice(slash + 1);
}

/** ChallengeHash: SHA1(PeerChallenge + AuthenticatorChallenge + UserName), first 8 octets. */
export function challengeHash(peerChallenge: Buffer, authenticatorChallenge: Buffer, userName: string): Buffer {
  return sha1(peerChallenge, authenticatorChallenge, Buffer.from(msChapUserName(userName), 'utf8')).subarray(0, 8);
}

/** ChallengeResponse: the 8-octet challenge DES-encrypted with the three 7-octet thirds of the zero-padded hash. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const z = Buffer.alloc(21);
  passwordHash.copy(z);
  return Buffer.concat([
    desEncrypt(challenge, z.subarray(0, 7)),
    desEncrypt(challenge, z.subarray(7, 14)),
    desEncrypt(challenge, z.subarray(14, 21)),
  ]);
}

export function generateNtResponse(args: {
  authenticatorChallenge: Buffer;
  peerChallenge: Buffer;
  userName: string;
  password: string;
}): Buffer {
  const challenge = challengeHash(args.peerChallenge, args.authenticatorChallenge, args.userName);
  return challengeResponse(challenge, ntPasswordHash(args.password));
}

const AUTH_MAGIC_1 = Buffer.from('Magic server to client signing constant', 'ascii');
const AUTH_MAGIC_2 = Buffer.from('Pad to make it do more than one iteration', 'ascii');

/** GenerateAuthenticatorResponse: "S=" + 40 upper-case hex digits. */
export function generateAuthenticatorResponse(args: {
  passwordHash: Buffer;
  ntResponse: Buffer;
  peerChallenge: Buffer;
  authenticatorChallenge: Buffer;
  userName: string;
}): string {
  const digest = sha1(hashNtPasswordHash(args.passwordHash), args.ntResponse, AUTH_MAGIC_1);
  const challenge = challengeHash(args.peerChallenge, args.authenticatorChallenge, args.userName);
  const final = sha1(digest, challenge, AUTH_MAGIC_2);
  return `S=${final.toString('hex').toUpperCase()}`;
}

/** DES in ECB on one block, the 56-bit key spread over 8 octets (parity bits left 0; DES ignores them). */
function desEncrypt(block: Buffer, key7: Buffer): Buffer {
  const k = Buffer.alloc(8);
  k[0] = key7[0];
  for (let i = 1; i < 7; i++) k[i] = ((key7[i - 1] << (8 - i)) | (key7[i] >> i)) & 0xff;
  k[7] = (key7[6] << 1) & 0xff;
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([k, k, k]), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

// --- RFC 3079 §3.4: MPPE keys from MS-CHAPv2 ----------------------------------------------------------------

const KEY_MAGIC_1 = Buffer.from('This is the MPPE Master Key', 'ascii');
const KEY_MAGIC_2 = Buffer.from('On the client side, this is the send key; on the server side, it is the receive key.', 'ascii');
const KEY_MAGIC_3 = Buffer.from('On the client side, this is the receive key; on the server side, it is the send key.', 'ascii');
const SHS_PAD_1 = Buffer.alloc(40, 0x00);
const SHS_PAD_2 = Buffer.alloc(40, 0xf2);

export function getMasterKey(passwordHashHash: Buffer, ntResponse: Buffer): Buffer {
  return sha1(passwordHashHash, ntResponse, KEY_MAGIC_1).subarray(0, 16);
}

export function getAsymmetricStartKey(masterKey: Buffer, keyLength: 8 | 16, isSend: boolean, isServer: boolean): Buffer {
  const magic = isSend === isServer ? KEY_MAGIC_3 : KEY_MAGIC_2;
  return sha1(masterKey, SHS_PAD_1, magic, SHS_PAD_2).subarray(0, keyLength);
}

// --- RFC 2548 §2.4.2-2.4.3: MS-MPPE-Send-Key / Recv-Key ----------------------------------------------------

/**
 * Salt (2 octets, high bit set, unique per key in the packet), then the key length octet, the key and zero
 * padding to 16-octet blocks, hidden with b(1) = MD5(secret + Request Authenticator + salt),
 * b(i) = MD5(secret + c(i-1)).
 */
export function encryptMppeKey(key: Buffer, secret: RadiusSecret, requestAuthenticator: Buffer, salt: Buffer): Buffer {
  if (salt.length !== 2 || !(salt[0] & 0x80)) throw new RangeError('an MPPE key salt is 2 octets with the high bit set');
  const plain = Buffer.alloc(Math.ceil((key.length + 1) / 16) * 16);
  plain[0] = key.length;
  key.copy(plain, 1);
  const s = secretBytes(secret);
  const out = Buffer.allocUnsafe(2 + plain.length);
  salt.copy(out);
  let previous: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let at = 0; at < plain.length; at += 16) {
    const b = md5(s, previous);
    for (let i = 0; i < 16; i++) out[2 + at + i] = plain[at + i] ^ b[i];
    previous = out.subarray(2 + at, 2 + at + 16);
  }
  return out;
}

/** The NAS side of encryptMppeKey (used by the simulator and tests); null when the value is malformed. */
export function decryptMppeKey(value: Buffer, secret: RadiusSecret, requestAuthenticator: Buffer): Buffer | null {
  if (value.length < 18 || (value.length - 2) % 16 !== 0 || !(value[0] & 0x80)) return null;
  const s = secretBytes(secret);
  const plain = Buffer.allocUnsafe(value.length - 2);
  let previous: Buffer = Buffer.concat([requestAuthenticator, value.subarray(0, 2)]);
  for (let at = 0; at < plain.length; at += 16) {
    const b = md5(s, previous);
    for (let i = 0; i < 16; i++) plain[at + i] = value[2 + at + i] ^ b[i];
    previous = value.subarray(2 + at, 2 + at + 16);
  }
  return plain[0] <= plain.length - 1 ? plain.subarray(1, 1 + plain[0]) : null;
}

// --- RADIUS: MS-CHAP2-Response in, MS-CHAP2-Success / MS-CHAP-Error out --------------------------------------

/** MS-CHAP2-Response (RFC 2548 §2.3.2): Ident, Flags, Peer-Challenge (16), Reserved (8), NT-Response (24). */
export interface MsChap2Response {
  ident: number;
  flags: number;
  peerChallenge: Buffer;
  ntResponse: Buffer;
}

export function parseMsChap2Response(value: Buffer): MsChap2Response | null {
  if (value.length !== 50) return null;
  return { ident: value[0], flags: value[1], peerChallenge: value.subarray(2, 18), ntResponse: value.subarray(26, 50) };
}

export function buildMsChap2Response(response: MsChap2Response): Buffer {
  return Buffer.concat([Buffer.from([response.ident, response.flags]), response.peerChallenge, Buffer.alloc(8), response.ntResponse]);
}

export type MsChapV2Verification =
  | {
      ok: true;
      ident: number;
      /** MS-CHAP2-Success: Ident + "S=<40 hex>". */
      success: Buffer;
      /** RFC 3079 128-bit start keys from the server's side: send = the NAS's transmit key. */
      sendKey: Buffer;
      recvKey: Buffer;
    }
  | {
      ok: false;
      reason: 'malformed' | 'wrong-password';
      /** 0 when the response could not be parsed. */
      ident: number;
      /** MS-CHAP-Error: Ident + "E=691 R=0 C=<new challenge> V=3 M=Authentication failure". */
      error: Buffer;
    };

/**
 * Checks MS-CHAP2-Response against MS-CHAP-Challenge (the authenticator challenge, 16 octets) with the
 * cleartext password; `userName` is the User-Name of the request.
 */
export function verifyMsChapV2(args: {
  userName: string;
  password: string;
  authenticatorChallenge: Buffer;
  response: Buffer;
}): MsChapV2Verification {
  const parsed = parseMsChap2Response(args.response);
  if (!parsed || args.authenticatorChallenge.length !== 16) {
    return { ok: false, reason: 'malformed', ident: parsed?.ident ?? 0, error: msChapError(parsed?.ident ?? 0) };
  }
  const { ident, peerChallenge, ntResponse } = parsed;
  const passwordHash = ntPasswordHash(args.password);
  const expected = challengeResponse(challengeHash(peerChallenge, args.authenticatorChallenge, args.userName), passwordHash);
  if (!timingSafeEqual(expected, ntResponse)) {
    return { ok: false, reason: 'wrong-password', ident, error: msChapError(ident) };
  }

  const authenticatorResponse = generateAuthenticatorResponse({
    passwordHash,
    ntResponse,
    peerChallenge,
    authenticatorChallenge: args.authenticatorChallenge,
    userName: args.userName,
  });
  const masterKey = getMasterKey(hashNtPasswordHash(passwordHash), ntResponse);
  return {
    ok: true,
    ident,
    success: Buffer.concat([Buffer.from([ident]), Buffer.from(authenticatorResponse, 'ascii')]),
    sendKey: getAsymmetricStartKey(masterKey, 16, true, true),
    recvKey: getAsymmetricStartKey(masterKey, 16, false, true),
  };
}

/** RFC 2759 §6 failure packet text; R=0: no retry (RADIUS cannot carry a second attempt). */
export function msChapError(ident: number, code = 691, message = 'Authentication failure'): Buffer {
  const challenge = randomBytes(16).toString('hex').toUpperCase();
  return Buffer.concat([Buffer.from([ident]), Buffer.from(`E=${code} R=0 C=${challenge} V=3 M=${message}`, 'ascii')]);
}

/** The client side: does MS-CHAP2-Success carry the authenticator response we expect? */
export function msChap2SuccessMatches(success: Buffer, expected: string): boolean {
  const got = success.subarray(1, 43);
  const want = Buffer.from(expected, 'ascii');
  return got.length === want.length && timingSafeEqual(got, want);
}

let saltCounter = 0;

/** RFC 2548 §2.4.1/2.4.2 values: Encryption-Allowed (1) / -Required (2); 40- and 128-bit (6) / 128 only (4). */
export interface MppeOptions {
  requireEncryption?: boolean;
  requireStrong?: boolean;
}

/**
 * The reply attributes of a successful MS-CHAPv2 login: MS-CHAP2-Success, the two MPPE keys hidden for this
 * request, and the encryption policy, as FreeRADIUS's rlm_mschap sends them.
 */
export function msChapV2AcceptAttributes(
  verified: Extract<MsChapV2Verification, { ok: true }>,
  args: { secret: RadiusSecret; requestAuthenticator: Buffer; mppe?: MppeOptions },
): Array<readonly [string, Buffer | number]> {
  // RFC 2548 asks salts unique within the packet, with the high bit set; a counter does (randomBytes costs ~10 µs).
  saltCounter = (saltCounter + 2) & 0x7ffe;
  const salt = Buffer.from([0x80 | (saltCounter >> 8), saltCounter & 0xff]);
  const otherSalt = Buffer.from([salt[0], salt[1] | 1]);
  return [
    ['MS-CHAP2-Success', verified.success],
    ['MS-MPPE-Recv-Key', encryptMppeKey(verified.recvKey, args.secret, args.requestAuthenticator, salt)],
    ['MS-MPPE-Send-Key', encryptMppeKey(verified.sendKey, args.secret, args.requestAuthenticator, otherSalt)],
    ['MS-MPPE-Encryption-Policy', args.mppe?.requireEncryption ? 2 : 1],
    ['MS-MPPE-Encryption-Types', args.mppe?.requireStrong ? 4 : 6],
  ];
}
