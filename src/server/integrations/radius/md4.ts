// MD4 (RFC 1320), for the NT password hash of MS-CHAPv2: Node 20's OpenSSL 3 ships it only in the legacy
// provider, which Node does not load. Not for anything but MS-CHAP.

const S = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];
const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

export function md4(message: Buffer): Buffer {
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian number.
  const blocks = Math.ceil((message.length + 9) / 64);
  const padded = Buffer.alloc(blocks * 64);
  message.copy(padded);
  padded[message.length] = 0x80;
  const bits = message.length * 8;
  padded.writeUInt32LE(bits >>> 0, padded.length - 8);
  padded.writeUInt32LE(Math.floor(bits / 2 ** 32), padded.length - 4);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Int32Array(16);

  for (let block = 0; block < blocks; block++) {
    for (let i = 0; i < 16; i++) x[i] = padded.readInt32LE(block * 64 + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];

    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      [a, b, c, d] = [d, rotl((a + f + x[i]) | 0, S[0][i % 4]), b, c];
    }
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      [a, b, c, d] = [d, rotl((a + g + x[ROUND2_ORDER[i]] + 0x5a827999) | 0, S[1][i % 4]), b, c];
    }
    for (let i = 0; i < 16; i++) {
      const h = b ^ c ^ d;
      [a, b, c, d] = [d, rotl((a + h + x[ROUND3_ORDER[i]] + 0x6ed9eba1) | 0, S[2][i % 4]), b, c];
    }

    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = Buffer.alloc(16);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeInt32LE(c, 8);
  out.writeInt32LE(d, 12);
  return out;
}
