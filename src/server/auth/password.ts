import { hash, verify } from '@node-rs/bcrypt';
import { env } from '@/env';

// @node-rs/bcrypt: native (Rust, napi-rs), hashes and verifies on libuv's thread pool, so a sign-in never
// holds up the event loop; it reads the $2a$/$2b$ hashes that bcryptjs wrote before it.

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, env().PASSWORD_HASH_ROUNDS);
}

/** False for a wrong password and for a stored value that is no bcrypt hash at all. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  try {
    return await verify(plain, stored);
  } catch {
    return false;
  }
}

let dummy: { cost: number; hash: Promise<string> } | null = null;

/**
 * A hash of the configured cost, of no one's password, for checking an unknown e-mail's password against:
 * the same work as checking a real one, so the time of the answer does not tell which e-mails exist.
 */
export function dummyHash(): Promise<string> {
  const cost = env().PASSWORD_HASH_ROUNDS;
  if (dummy?.cost !== cost) {
    const h = hash(crypto.randomUUID(), cost);
    dummy = { cost, hash: h };
    h.catch(() => (dummy = null));
  }
  return dummy.hash;
}
