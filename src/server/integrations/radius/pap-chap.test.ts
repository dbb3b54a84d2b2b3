import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chapResponse, verifyChap } from './chap';
import { decryptUserPassword, encryptUserPassword } from './pap';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** RFC 2865 §5.2 hiding, written here with MD5 alone. */
function hide(password: Buffer, secret: string, authenticator: Buffer): Buffer {
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  const out: Buffer[] = [];
  let previous = authenticator;
  for (let at = 0; at < padded.length; at += 16) {
    const b = createHash('md5').update(secret).update(previous).digest();
    previous = Buffer.from(padded.subarray(at, at + 16).map((p, i) => p ^ b[i]));
    out.push(previous);
  }
  return Buffer.concat(out);
}

describe('PAP (RFC 2865 §5.2)', () => {
  it('opens the RFC 2865 §7.1 example: "arctangent" with secret xyzzy5461', () => {
    const request = {
      authenticator: hex('0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a'),
      userPassword: hex('0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee'),
    };
    expect(decryptUserPassword(request, 'xyzzy5461')).toBe('arctangent');
    expect(decryptUserPassword(request, 'xyzzy5462')).not.toBe('arctangent');
  });

  it.each([1, 15, 16, 17, 31, 32, 33, 100, 128])('opens a %i-octet password over several blocks', (length) => {
    const password = Buffer.from('p'.repeat(length - 1) + 'é').subarray(0, length);
    const authenticator = randomBytes(16);
    const hidden = hide(password, 's3cret', authenticator);
    expect(hidden.length % 16).toBe(0);
    expect(Buffer.from(decryptUserPassword({ authenticator, userPassword: hidden }, 's3cret')!, 'utf8')).toEqual(
      Buffer.from(password.toString('utf8'), 'utf8'),
    );
    expect(encryptUserPassword(password, 's3cret', authenticator)).toEqual(hidden);
  });

  it('strips only the trailing NUL padding', () => {
    const authenticator = randomBytes(16);
    const hidden = hide(Buffer.from('a\0b'), 'k', authenticator);
    expect(decryptUserPassword({ authenticator, userPassword: hidden }, 'k')).toBe('a\0b');
  });

  it('returns null for a missing or malformed User-Password', () => {
    const authenticator = randomBytes(16);
    for (const userPassword of [undefined, Buffer.alloc(0), Buffer.alloc(15), Buffer.alloc(17), Buffer.alloc(144)]) {
      expect(decryptUserPassword({ authenticator, userPassword }, 'k')).toBeNull();
    }
  });

  it('refuses to hide more than 128 octets', () => {
    expect(() => encryptUserPassword('x'.repeat(129), 'k', randomBytes(16))).toThrow(/at most 128/);
  });
});

describe('CHAP (RFC 1994 §4.1)', () => {
  const challenge = randomBytes(16);
  const response = (ident: number, password: string) =>
    Buffer.concat([
      Buffer.from([ident]),
      createHash('md5')
        .update(Buffer.from([ident]))
        .update(password)
        .update(challenge)
        .digest(),
    ]);

  it('accepts MD5(ident + password + challenge) and nothing else', () => {
    expect(verifyChap('hunter2', response(7, 'hunter2'), challenge)).toBe(true);
    expect(verifyChap('hunter2', response(7, 'hunter3'), challenge)).toBe(false);
    expect(verifyChap('hunter2', response(7, 'hunter2'), randomBytes(16))).toBe(false);
    const otherIdent = response(7, 'hunter2');
    otherIdent[0] = 8;
    expect(verifyChap('hunter2', otherIdent, challenge)).toBe(false);
  });

  it('returns false for a CHAP-Password that is not 17 octets', () => {
    expect(verifyChap('x', response(1, 'x').subarray(0, 16), challenge)).toBe(false);
    expect(verifyChap('x', Buffer.concat([response(1, 'x'), Buffer.alloc(1)]), challenge)).toBe(false);
  });

  it('chapResponse is what a peer computes', () => {
    expect(Buffer.concat([Buffer.from([9]), chapResponse(9, 'pw', challenge)])).toEqual(response(9, 'pw'));
  });
});
