// MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) in JavaScript, for the per-packet signatures.
// Why not node:crypto: each createHash/createHmac/crypto.hash call costs ~1.5-3 µs of native-call and EVP
// set-up overhead for ~0.3 µs of hashing, and a PAP request needs six digests (Message-Authenticator in and
// out, two HMAC passes each, the password keystream, the Response Authenticator): a third of the whole
// request's CPU. Here a digest is a few block compressions with no allocation, HMAC keys keep their
// precomputed inner/outer states, and packets are hashed by range without copying. md5.test.ts checks every
// output against node:crypto. Not a general-purpose hash: use node:crypto elsewhere.

const INITIAL = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);

const readLe = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);

/**
 * One 64-octet block of `bytes` at `at` into `state`: RFC 1321 §3.4 written out step by step (constants
 * T[i] = floor(2^32·|sin(i + 1)|) as signed 32-bit literals), because V8 does not inline 64 calls of a helper.
 */
function compress(state: Int32Array, bytes: Uint8Array, at: number): void {
  const x0 = readLe(bytes, at);
  const x1 = readLe(bytes, at + 4);
  const x2 = readLe(bytes, at + 8);
  const x3 = readLe(bytes, at + 12);
  const x4 = readLe(bytes, at + 16);
  const x5 = readLe(bytes, at + 20);
  const x6 = readLe(bytes, at + 24);
  const x7 = readLe(bytes, at + 28);
  const x8 = readLe(bytes, at + 32);
  const x9 = readLe(bytes, at + 36);
  const x10 = readLe(bytes, at + 40);
  const x11 = readLe(bytes, at + 44);
  const x12 = readLe(bytes, at + 48);
  const x13 = readLe(bytes, at + 52);
  const x14 = readLe(bytes, at + 56);
  const x15 = readLe(bytes, at + 60);
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let n: number;

  // round 1
  n = (a + ((b & c) | (~b & d)) + x0 + -680876936) | 0;
  a = (((n << 7) | (n >>> 25)) + b) | 0;
  n = (d + ((a & b) | (~a & c)) + x1 + -389564586) | 0;
  d = (((n << 12) | (n >>> 20)) + a) | 0;
  n = (c + ((d & a) | (~d & b)) + x2 + 606105819) | 0;
  c = (((n << 17) | (n >>> 15)) + d) | 0;
  n = (b + ((c & d) | (~c & a)) + x3 + -1044525330) | 0;
  b = (((n << 22) | (n >>> 10)) + c) | 0;
  n = (a + ((b & c) | (~b & d)) + x4 + -176418897) | 0;
  a = (((n << 7) | (n >>> 25)) + b) | 0;
  n = (d + ((a & b) | (~a & c)) + x5 + 1200080426) | 0;
  d = (((n << 12) | (n >>> 20)) + a) | 0;
  n = (c + ((d & a) | (~d & b)) + x6 + -1473231341) | 0;
  c = (((n << 17) | (n >>> 15)) + d) | 0;
  n = (b + ((c & d) | (~c & a)) + x7 + -45705983) | 0;
  b = (((n << 22) | (n >>> 10)) + c) | 0;
  n = (a + ((b & c) | (~b & d)) + x8 + 1770035416) | 0;
  a = (((n << 7) | (n >>> 25)) + b) | 0;
  n = (d + ((a & b) | (~a & c)) + x9 + -1958414417) | 0;
  d = (((n << 12) | (n >>> 20)) + a) | 0;
  n = (c + ((d & a) | (~d & b)) + x10 + -42063) | 0;
  c = (((n << 17) | (n >>> 15)) + d) | 0;
  n = (b + ((c & d) | (~c & a)) + x11 + -1990404162) | 0;
  b = (((n << 22) | (n >>> 10)) + c) | 0;
  n = (a + ((b & c) | (~b & d)) + x12 + 1804603682) | 0;
  a = (((n << 7) | (n >>> 25)) + b) | 0;
  n = (d + ((a & b) | (~a & c)) + x13 + -40341101) | 0;
  d = (((n << 12) | (n >>> 20)) + a) | 0;
  n = (c + ((d & a) | (~d & b)) + x14 + -1502002290) | 0;
  c = (((n << 17) | (n >>> 15)) + d) | 0;
  n = (b + ((c & d) | (~c & a)) + x15 + 1236535329) | 0;
  b = (((n << 22) | (n >>> 10)) + c) | 0;
  // round 2
  n = (a + ((b & d) | (c & ~d)) + x1 + -165796510) | 0;
  a = (((n << 5) | (n >>> 27)) + b) | 0;
  n = (d + ((a & c) | (b & ~c)) + x6 + -1069501632) | 0;
  d = (((n << 9) | (n >>> 23)) + a) | 0;
  n = (c + ((d & b) | (a & ~b)) + x11 + 643717713) | 0;
  c = (((n << 14) | (n >>> 18)) + d) | 0;
  n = (b + ((c & a) | (d & ~a)) + x0 + -373897302) | 0;
  b = (((n << 20) | (n >>> 12)) + c) | 0;
  n = (a + ((b & d) | (c & ~d)) + x5 + -701558691) | 0;
  a = (((n << 5) | (n >>> 27)) + b) | 0;
  n = (d + ((a & c) | (b & ~c)) + x10 + 38016083) | 0;
  d = (((n << 9) | (n >>> 23)) + a) | 0;
  n = (c + ((d & b) | (a & ~b)) + x15 + -660478335) | 0;
  c = (((n << 14) | (n >>> 18)) + d) | 0;
  n = (b + ((c & a) | (d & ~a)) + x4 + -405537848) | 0;
  b = (((n << 20) | (n >>> 12)) + c) | 0;
  n = (a + ((b & d) | (c & ~d)) + x9 + 568446438) | 0;
  a = (((n << 5) | (n >>> 27)) + b) | 0;
  n = (d + ((a & c) | (b & ~c)) + x14 + -1019803690) | 0;
  d = (((n << 9) | (n >>> 23)) + a) | 0;
  n = (c + ((d & b) | (a & ~b)) + x3 + -187363961) | 0;
  c = (((n << 14) | (n >>> 18)) + d) | 0;
  n = (b + ((c & a) | (d & ~a)) + x8 + 1163531501) | 0;
  b = (((n << 20) | (n >>> 12)) + c) | 0;
  n = (a + ((b & d) | (c & ~d)) + x13 + -1444681467) | 0;
  a = (((n << 5) | (n >>> 27)) + b) | 0;
  n = (d + ((a & c) | (b & ~c)) + x2 + -51403784) | 0;
  d = (((n << 9) | (n >>> 23)) + a) | 0;
  n = (c + ((d & b) | (a & ~b)) + x7 + 1735328473) | 0;
  c = (((n << 14) | (n >>> 18)) + d) | 0;
  n = (b + ((c & a) | (d & ~a)) + x12 + -1926607734) | 0;
  b = (((n << 20) | (n >>> 12)) + c) | 0;
  // round 3
  n = (a + (b ^ c ^ d) + x5 + -378558) | 0;
  a = (((n << 4) | (n >>> 28)) + b) | 0;
  n = (d + (a ^ b ^ c) + x8 + -2022574463) | 0;
  d = (((n << 11) | (n >>> 21)) + a) | 0;
  n = (c + (d ^ a ^ b) + x11 + 1839030562) | 0;
  c = (((n << 16) | (n >>> 16)) + d) | 0;
  n = (b + (c ^ d ^ a) + x14 + -35309556) | 0;
  b = (((n << 23) | (n >>> 9)) + c) | 0;
  n = (a + (b ^ c ^ d) + x1 + -1530992060) | 0;
  a = (((n << 4) | (n >>> 28)) + b) | 0;
  n = (d + (a ^ b ^ c) + x4 + 1272893353) | 0;
  d = (((n << 11) | (n >>> 21)) + a) | 0;
  n = (c + (d ^ a ^ b) + x7 + -155497632) | 0;
  c = (((n << 16) | (n >>> 16)) + d) | 0;
  n = (b + (c ^ d ^ a) + x10 + -1094730640) | 0;
  b = (((n << 23) | (n >>> 9)) + c) | 0;
  n = (a + (b ^ c ^ d) + x13 + 681279174) | 0;
  a = (((n << 4) | (n >>> 28)) + b) | 0;
  n = (d + (a ^ b ^ c) + x0 + -358537222) | 0;
  d = (((n << 11) | (n >>> 21)) + a) | 0;
  n = (c + (d ^ a ^ b) + x3 + -722521979) | 0;
  c = (((n << 16) | (n >>> 16)) + d) | 0;
  n = (b + (c ^ d ^ a) + x6 + 76029189) | 0;
  b = (((n << 23) | (n >>> 9)) + c) | 0;
  n = (a + (b ^ c ^ d) + x9 + -640364487) | 0;
  a = (((n << 4) | (n >>> 28)) + b) | 0;
  n = (d + (a ^ b ^ c) + x12 + -421815835) | 0;
  d = (((n << 11) | (n >>> 21)) + a) | 0;
  n = (c + (d ^ a ^ b) + x15 + 530742520) | 0;
  c = (((n << 16) | (n >>> 16)) + d) | 0;
  n = (b + (c ^ d ^ a) + x2 + -995338651) | 0;
  b = (((n << 23) | (n >>> 9)) + c) | 0;
  // round 4
  n = (a + (c ^ (b | ~d)) + x0 + -198630844) | 0;
  a = (((n << 6) | (n >>> 26)) + b) | 0;
  n = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0;
  d = (((n << 10) | (n >>> 22)) + a) | 0;
  n = (c + (a ^ (d | ~b)) + x14 + -1416354905) | 0;
  c = (((n << 15) | (n >>> 17)) + d) | 0;
  n = (b + (d ^ (c | ~a)) + x5 + -57434055) | 0;
  b = (((n << 21) | (n >>> 11)) + c) | 0;
  n = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0;
  a = (((n << 6) | (n >>> 26)) + b) | 0;
  n = (d + (b ^ (a | ~c)) + x3 + -1894986606) | 0;
  d = (((n << 10) | (n >>> 22)) + a) | 0;
  n = (c + (a ^ (d | ~b)) + x10 + -1051523) | 0;
  c = (((n << 15) | (n >>> 17)) + d) | 0;
  n = (b + (d ^ (c | ~a)) + x1 + -2054922799) | 0;
  b = (((n << 21) | (n >>> 11)) + c) | 0;
  n = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0;
  a = (((n << 6) | (n >>> 26)) + b) | 0;
  n = (d + (b ^ (a | ~c)) + x15 + -30611744) | 0;
  d = (((n << 10) | (n >>> 22)) + a) | 0;
  n = (c + (a ^ (d | ~b)) + x6 + -1560198380) | 0;
  c = (((n << 15) | (n >>> 17)) + d) | 0;
  n = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0;
  b = (((n << 21) | (n >>> 11)) + c) | 0;
  n = (a + (c ^ (b | ~d)) + x4 + -145523070) | 0;
  a = (((n << 6) | (n >>> 26)) + b) | 0;
  n = (d + (b ^ (a | ~c)) + x11 + -1120210379) | 0;
  d = (((n << 10) | (n >>> 22)) + a) | 0;
  n = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0;
  c = (((n << 15) | (n >>> 17)) + d) | 0;
  n = (b + (d ^ (c | ~a)) + x9 + -343485551) | 0;
  b = (((n << 21) | (n >>> 11)) + c) | 0;

  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** A running MD5. Reused, never shared across an await: every user here is synchronous. */
export class Md5 {
  private readonly state = new Int32Array(4);
  private readonly block = new Uint8Array(64);
  private filled = 0;
  private length = 0;

  /** From the start, or from a saved state after `length` octets (an HMAC key's padded block). */
  reset(from: Int32Array = INITIAL, length = 0): this {
    this.state.set(from);
    this.filled = 0;
    this.length = length;
    return this;
  }

  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    this.length += end - start;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, end - start);
      for (let i = 0; i < take; i++) this.block[this.filled + i] = bytes[start + i];
      this.filled += take;
      start += take;
      if (this.filled < 64) return this;
      compress(this.state, this.block, 0);
      this.filled = 0;
    }
    for (; start + 64 <= end; start += 64) compress(this.state, bytes, start);
    for (let i = 0; start + i < end; i++) this.block[i] = bytes[start + i];
    this.filled = end - start;
    return this;
  }

  /** `count` zero octets (a Message-Authenticator being computed). */
  zeros(count: number): this {
    return this.update(ZEROS, 0, count);
  }

  /** The state after the final padding, left in `state` (16 octets little-endian once written out). */
  finish(): Int32Array {
    const bits = this.length * 8;
    this.block[this.filled++] = 0x80;
    if (this.filled > 56) {
      this.block.fill(0, this.filled);
      compress(this.state, this.block, 0);
      this.filled = 0;
    }
    this.block.fill(0, this.filled, 56);
    writeLe(this.block, 56, bits >>> 0);
    writeLe(this.block, 60, Math.floor(bits / 2 ** 32));
    compress(this.state, this.block, 0);
    this.block.fill(0); // may hold secret octets
    return this.state;
  }

  /** A copy of the running state (an HMAC key's state after its padded block). */
  snapshot(): Int32Array {
    return Int32Array.from(this.state);
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(16);
    this.digestInto(out, 0);
    return out;
  }

  digestInto(out: Uint8Array, at: number): void {
    const s = this.finish();
    for (let i = 0; i < 4; i++) writeLe(out, at + i * 4, s[i]);
  }
}

const ZEROS = new Uint8Array(64);

function writeLe(out: Uint8Array, at: number, word: number) {
  out[at] = word;
  out[at + 1] = word >>> 8;
  out[at + 2] = word >>> 16;
  out[at + 3] = word >>> 24;
}

const shared = new Md5();

export function md5(...parts: Uint8Array[]): Buffer {
  shared.reset();
  for (const part of parts) shared.update(part);
  return shared.digest();
}

/** An HMAC-MD5 key as the MD5 states after its inner and outer padded blocks (RFC 2104 §2). */
export interface HmacMd5Key {
  inner: Int32Array;
  outer: Int32Array;
}

const keys = new WeakMap<Uint8Array, HmacMd5Key>();

/** Computed once per key Buffer (secretBytes returns the same Buffer for the same secret). */
export function hmacMd5Key(key: Uint8Array): HmacMd5Key {
  let cached = keys.get(key);
  if (cached) return cached;
  const k = key.length > 64 ? md5(key) : key;
  const pad = new Uint8Array(64);
  const states = [0x36, 0x5c].map((xor) => {
    for (let i = 0; i < 64; i++) pad[i] = (i < k.length ? k[i] : 0) ^ xor;
    return new Md5().reset().update(pad).snapshot();
  });
  cached = { inner: states[0], outer: states[1] };
  keys.set(key, cached);
  return cached;
}

/** Starts an HMAC: feed the message with update()/zeros(), then hmacFinish(). */
export function hmacStart(key: HmacMd5Key): Md5 {
  return shared.reset(key.inner, 64);
}

const innerDigest = new Uint8Array(16);

export function hmacFinish(key: HmacMd5Key): Buffer {
  shared.digestInto(innerDigest, 0);
  return shared.reset(key.outer, 64).update(innerDigest).digest();
}

export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const k = hmacMd5Key(key);
  const h = hmacStart(k);
  for (const part of parts) h.update(part);
  return hmacFinish(k);
}
