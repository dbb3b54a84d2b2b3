import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeKey, env } from '@/env';

// Stored form: v1.<iv>.<tag>.<ciphertext>, each base64url. The version prefix lets us rotate the scheme later.
const PREFIX = 'v1';

function key(): Buffer {
  const k = decodeKey(env().ENCRYPTION_KEY);
  if (!k) throw new Error('ENCRYPTION_KEY is not a 32-byte key');
  return k;
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [PREFIX, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptSecret(stored: string): string {
  const [prefix, iv, tag, ct] = stored.split('.');
  if (prefix !== PREFIX || !iv || !tag || ct === undefined) throw new Error('stored secret has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  // A wrong ENCRYPTION_KEY fails here (GCM tag mismatch) instead of returning garbage.
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** Encrypt, keeping "" as "" so `has_secret` stays a plain comparison in SQL. */
export function encryptOptional(plain: string): string {
  return plain === '' ? '' : encryptSecret(plain);
}

export function decryptOptional(stored: string): string {
  return stored === '' ? '' : decryptSecret(stored);
}
