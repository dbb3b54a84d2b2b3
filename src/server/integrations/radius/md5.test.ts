import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacMd5, md5, Md5 } from './md5';

describe('md5 / hmacMd5 (ours, checked against node:crypto)', () => {
  it('RFC 1321 §A.5 test suite', () => {
    const suite: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, digest] of suite) expect(md5(Buffer.from(input)).toString('hex'), input).toBe(digest);
  });

  it('RFC 2202 HMAC-MD5 test cases 2 and 6 (80-octet key, hashed first)', () => {
    expect(hmacMd5(Buffer.from('Jefe'), Buffer.from('what do ya want '), Buffer.from('for nothing?')).toString('hex')).toBe(
      '750c783e6ab0b503eaa86e310a5db738',
    );
    expect(hmacMd5(Buffer.alloc(80, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')).toString('hex')).toBe(
      '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
    );
  });

  it('equals node:crypto for every length 0-300 split at random, and for keys short and long', () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      const cut = randomInt(0, length + 1);
      const key = randomBytes([1, 16, 63, 64, 65, 200][length % 6]);
      expect(md5(data.subarray(0, cut), data.subarray(cut)), `md5 ${length}`).toEqual(createHash('md5').update(data).digest());
      expect(hmacMd5(key, data.subarray(0, cut), data.subarray(cut)), `hmac ${length}`).toEqual(
        createHmac('md5', key).update(data).digest(),
      );
    }
  });

  it('hashes ranges and zero runs like the bytes they stand for, and can be reused', () => {
    const h = new Md5();
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(randomInt(20, 4096));
      const start = randomInt(0, 20);
      const zeros = randomInt(0, 64);
      const expected = createHash('md5').update(data.subarray(start)).update(Buffer.alloc(zeros)).update('k').digest();
      expect(h.reset().update(data, start).zeros(zeros).update(Buffer.from('k')).digest()).toEqual(expected);
    }
  });
});
