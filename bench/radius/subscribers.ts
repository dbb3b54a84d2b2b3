import { createHash } from 'node:crypto';

/**
 * The bench world's subscribers as RADIUS sees them: names `sub0000001`… (bench/lib/world.ts) and a
 * cleartext password derived from the name alone, so the generator, FreeRADIUS's radcheck and our own
 * subscribers table agree without storing a list. 7-23 characters: one and two 16-octet blocks of
 * User-Password encryption both occur.
 */
export function subscriberName(n: number): string {
  return `sub${String(n).padStart(7, '0')}`;
}

export function subscriberPassword(username: string): string {
  const h = createHash('md5').update(username).digest('hex');
  return `pw-${h.slice(0, 4 + (parseInt(h.slice(0, 2), 16) % 17))}`;
}

/** The same password as a SQL expression over a text column (for radcheck, generated inside PostgreSQL). */
export function subscriberPasswordSql(column: string): string {
  return `'pw-' || substr(md5(${column}), 1, 4 + get_byte(decode(md5(${column}), 'hex'), 0) % 17)`;
}
