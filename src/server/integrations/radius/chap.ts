// CHAP (RFC 1994 §4.1, RFC 2865 §2.2): Response = MD5(Identifier + secret + Challenge), checked with the
// subscriber's cleartext password.
import { timingSafeEqual } from 'node:crypto';
import { md5 } from './md5';

/**
 * `chapPassword` is the CHAP-Password attribute (CHAP ident, then the 16-octet response); `challenge` is
 * CHAP-Challenge, or the Request Authenticator when the request has none (RFC 2865 §5.3).
 */
export function verifyChap(password: string | Buffer, chapPassword: Buffer, challenge: Buffer): boolean {
  if (chapPassword.length !== 17 || challenge.length === 0) return false;
  const expected = chapResponse(chapPassword[0], password, challenge);
  return timingSafeEqual(expected, chapPassword.subarray(1));
}

/** The 16-octet response a CHAP peer computes; the client side prefixes the ident to make CHAP-Password. */
export function chapResponse(ident: number, password: string | Buffer, challenge: Buffer): Buffer {
  return md5(Buffer.from([ident]), typeof password === 'string' ? Buffer.from(password, 'utf8') : password, challenge);
}
