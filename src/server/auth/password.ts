import bcrypt from 'bcryptjs';

// bcryptjs: pure JS (no install scripts, no native build), maintained, constant-time compare.
const ROUNDS = Number(process.env.PASSWORD_HASH_ROUNDS ?? 12);

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, ROUNDS);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}
