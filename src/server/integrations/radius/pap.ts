// PAP: the User-Password hiding of RFC 2865 §5.2 (an MD5 keystream over secret + Request Authenticator).
import { md5 } from './md5';
import { secretBytes, type RadiusSecret } from './wire';

const MAX_PASSWORD = 128;

/**
 * The cleartext User-Password of an Access-Request, trailing NUL padding removed; null when there is none
 * or it is malformed (not 16-128 octets in 16-octet blocks). A wrong secret gives garbage, not null: only
 * Message-Authenticator can tell.
 */
export function decryptUserPassword(
  request: { userPassword: Buffer | undefined; authenticator: Buffer },
  secret: RadiusSecret,
): string | null {
  const plain = decryptUserPasswordBytes(request, secret);
  return plain === null ? null : plain.toString('utf8');
}

/** The same as octets (what authenticateRequest compares, without a string in between). */
export function decryptUserPasswordBytes(
  request: { userPassword: Buffer | undefined; authenticator: Buffer },
  secret: RadiusSecret,
): Buffer | null {
  const hidden = request.userPassword;
  if (!hidden || hidden.length < 16 || hidden.length > MAX_PASSWORD || hidden.length % 16 !== 0) return null;
  const plain = keystreamXor(hidden, secretBytes(secret), request.authenticator, false);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end);
}

/** The client side: pads with NULs to 16-octet blocks and hides it (RFC 2865 §5.2). */
export function encryptUserPassword(password: string | Buffer, secret: RadiusSecret, authenticator: Buffer): Buffer {
  const clear = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (clear.length > MAX_PASSWORD) throw new RangeError(`User-Password is ${clear.length} octets; RADIUS allows at most 128`);
  const padded = Buffer.alloc(Math.max(16, Math.ceil(clear.length / 16) * 16));
  clear.copy(padded);
  return keystreamXor(padded, secretBytes(secret), authenticator, true);
}

/** b1 = MD5(S + RA), b(i) = MD5(S + c(i-1)), where c is always the hidden (encrypted) block. */
function keystreamXor(input: Buffer, secret: Buffer, authenticator: Buffer, encrypting: boolean): Buffer {
  const out = Buffer.allocUnsafe(input.length);
  let previous = authenticator;
  for (let at = 0; at < input.length; at += 16) {
    const b = md5(secret, previous);
    for (let i = 0; i < 16; i++) out[at + i] = input[at + i] ^ b[i];
    previous = (encrypting ? out : input).subarray(at, at + 16);
  }
  return out;
}
