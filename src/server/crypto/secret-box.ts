import { createCipheriv, createDecipheriv, createHash, randomBytes, type Cipher } from 'node:crypto';
import { decodeKey, env } from '@/env';

/**
 * Secrets at rest (RADIUS secrets, API passwords): AES-256-GCM.
 *
 * Stored form `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The additional authenticated data is the
 * row and column the value belongs to, so a ciphertext copied into another row or column does not decrypt;
 * the key id lets keys rotate: ENCRYPTION_KEY encrypts, ENCRYPTION_KEYS_PREVIOUS still decrypt, and
 * `npm run rotate-key` (or any start) re-encrypts what an older key wrote (src/server/crypto/reencrypt.ts).
 * `v1.<iv>.<tag>.<ciphertext>` (no binding, no key id) is still read, and rewritten as v2 at start.
 */
export interface SecretBinding {
  table: string;
  column: string;
  id: number;
}

export class SecretUnreadableError extends Error {}

interface Key {
  id: string;
  bytes: Buffer;
}

export function keyId(bytes: Buffer): string {
  return createHash('sha256').update('nas-panel key id\0').update(bytes).digest('hex').slice(0, 8);
}

function parseKey(value: string): Key {
  const bytes = decodeKey(value);
  if (!bytes) throw new Error('an encryption key is not 32 bytes (64 hex characters or base64)');
  return { id: keyId(bytes), bytes };
}

/** The key that encrypts, then every key that may still decrypt, read once per environment. */
let cachedKeys: { source: string; current: Key; all: Key[] } | null = null;
function keys() {
  const e = env();
  const source = `${e.ENCRYPTION_KEY}|${e.ENCRYPTION_KEYS_PREVIOUS}`;
  if (cachedKeys?.source !== source) {
    const current = parseKey(e.ENCRYPTION_KEY);
    const previous = e.ENCRYPTION_KEYS_PREVIOUS.split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map(parseKey);
    cachedKeys = { source, current, all: [current, ...previous] };
  }
  return cachedKeys;
}

export function currentKeyId(): string {
  return keys().current.id;
}

function aad(b: SecretBinding): Buffer {
  return Buffer.from(`${b.table}.${b.column}#${b.id}`, 'utf8');
}

export function encryptSecret(plain: string, binding: SecretBinding): string {
  const { current } = keys();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
  cipher.setAAD(aad(binding));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v2', current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptSecret(stored: string, binding: SecretBinding): string {
  const parts = stored.split('.');
  if (parts[0] === 'v2' && parts.length === 5) {
    const key = keys().all.find((k) => k.id === parts[1]);
    if (!key) throw new SecretUnreadableError(`it was encrypted with a key this panel does not have (key id ${parts[1]})`);
    return open(key.bytes, parts[2], parts[3], parts[4], aad(binding));
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    // Unbound and without key id: try every key (the first format had one key, and no rotation).
    for (const key of keys().all) {
      try {
        return open(key.bytes, parts[1], parts[2], parts[3], null);
      } catch {
        // the next key
      }
    }
    throw new SecretUnreadableError('it does not decrypt with any configured key');
  }
  throw new SecretUnreadableError('it is not in a format this panel writes');
}

function open(key: Buffer, iv: string, tag: string, ct: string, additional: Buffer | null): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (additional) decipher.setAAD(additional);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    // A wrong key or a ciphertext from another row fails here (GCM tag mismatch) instead of returning garbage.
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError('it does not decrypt with its key: it belongs to another row, or was altered');
  }
}

/**
 * The plaintext of a v2 ciphertext that decryptSecret already accepted for this row, without checking its tag
 * and binding again: for the RADIUS service, which verifies each subscriber's password once when it loads the
 * row (subscribers.ts) and then opens it for every Access-Request of that subscriber.
 *
 * GCM encrypts with AES in counter mode: for a 96-bit IV, plaintext block i is XORed with AES(IV ‖ i + 2)
 * (NIST SP 800-38D, §7.1: J0 = IV ‖ 1, and the first block uses inc32(J0)). That keystream comes from one
 * long-lived AES-256-ECB cipher per key, about 1 µs a call, where building a Decipheriv costs 7-20 µs and
 * several objects for the garbage collector. Anything else (v1, a key we do not hold) goes the full way.
 */
export function decryptVerifiedSecret(stored: string, binding: SecretBinding): string {
  const parts = stored.split('.');
  const key = parts[0] === 'v2' && parts.length === 5 ? keys().all.find((k) => k.id === parts[1]) : undefined;
  const iv = key ? Buffer.from(parts[2], 'base64url') : null;
  if (!key || iv?.length !== 12) return decryptSecret(stored, binding);
  const text = Buffer.from(parts[4], 'base64url');
  const blocks = Math.ceil(text.length / 16);
  const counters = Buffer.allocUnsafe(blocks * 16);
  for (let i = 0; i < blocks; i++) {
    iv.copy(counters, i * 16);
    counters.writeUInt32BE(i + 2, i * 16 + 12);
  }
  const keystream = blockCipher(key).update(counters);
  for (let i = 0; i < text.length; i++) text[i] ^= keystream[i];
  return text.toString('utf8');
}

/** AES-256 on single blocks (ECB, no padding: each full block in gives its block out at once), one per key. */
const blockCiphers = new WeakMap<Key, Cipher>();
function blockCipher(key: Key): Cipher {
  let cipher = blockCiphers.get(key);
  if (!cipher) {
    cipher = createCipheriv('aes-256-ecb', key.bytes, null).setAutoPadding(false);
    blockCiphers.set(key, cipher);
  }
  return cipher;
}

/** Encrypt, keeping "" as "" so `has_secret` stays a plain comparison in SQL. */
export function encryptOptional(plain: string, binding: SecretBinding): string {
  return plain === '' ? '' : encryptSecret(plain, binding);
}

export function decryptOptional(stored: string, binding: SecretBinding): string {
  return stored === '' ? '' : decryptSecret(stored, binding);
}

/** Whether a stored value needs rewriting under the current key and format. */
export function isStale(stored: string): boolean {
  if (stored === '') return false;
  const parts = stored.split('.');
  return !(parts[0] === 'v2' && parts[1] === currentKeyId());
}
