import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { dummyHash, hashPassword, verifyPassword } from './password';

// Written by bcryptjs 3.0.3 (the panel's hasher before @node-rs/bcrypt); the $2a$ one as bcryptjs 2.x wrote
// them (the same algorithm under the older prefix, which bcryptjs also accepts).
const BCRYPTJS = {
  a: { password: 'correct horse battery', hash: '$2a$04$JYbHr2t0SBbzKmxv1UslROw.p.8Z3L0MqD14hsV0tr2DIPREWNtxK' },
  b: { password: 'correct horse battery', hash: '$2b$05$KbgraqywBvHhWgytk/ZDe.2CL0SZ4sNU/OykRDCLjEhXfqen5lvDa' },
  unicode: { password: 'pässwörd-ünïcode-密码', hash: '$2b$04$obLUM1yjAOorHzYVEk2M.u1MCsepAhdgyUXXkNinRm4PNhirF/Rw2' },
  // bcrypt reads 72 bytes at most: bcryptjs cut this 80-byte password there, and so must the check.
  long: { password: 'x'.repeat(80), hash: '$2b$04$Zu3BxdfQTFtHvPLJ2wuC1OAWpGZKmOYWJ1KdXk.qPm5ylEhDEDNgu' },
};

function withCost(cost: string) {
  process.env.PASSWORD_HASH_ROUNDS = cost;
  resetEnvCache();
}

afterEach(() => withCost('4'));

/** The longest the event loop went without running a 2 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; workMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 2);
  const t = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { stallMs, workMs: performance.now() - t };
}

describe('password hashing', () => {
  it('accepts the hashes bcryptjs wrote ($2a$, $2b$, non-ASCII, past 72 bytes) and refuses wrong passwords', async () => {
    for (const { password, hash } of Object.values(BCRYPTJS)) {
      expect(await verifyPassword(password, hash)).toBe(true);
      expect(await verifyPassword(password + '!', hash)).toBe(password.length >= 72); // past byte 72 nothing counts
      expect(await verifyPassword('wrong password', hash)).toBe(false);
    }
    expect(await verifyPassword('x'.repeat(71), BCRYPTJS.long.hash)).toBe(false);
  });

  it('answers false for a stored value that is not a bcrypt hash', async () => {
    for (const stored of ['', 'x', 'plain-text', '$2b$04$short']) expect(await verifyPassword('x', stored)).toBe(false);
  });

  it('hashes with the cost PASSWORD_HASH_ROUNDS sets, and verifies what it hashed', async () => {
    const h4 = await hashPassword('a new password');
    expect(h4).toMatch(/^\$2b\$04\$/);
    expect(await verifyPassword('a new password', h4)).toBe(true);
    withCost('6');
    expect(await hashPassword('a new password')).toMatch(/^\$2b\$06\$/);
  });

  it('checks unknown e-mails against a dummy hash of the configured cost (the same work as a real one)', async () => {
    expect(await dummyHash()).toMatch(/^\$2b\$04\$/);
    withCost('7');
    expect(await dummyHash()).toMatch(/^\$2b\$07\$/);
    expect(await verifyPassword('', await dummyHash())).toBe(false);
  });

  it('never holds up the event loop, however long a hash takes', async () => {
    withCost('12');
    // Two at once, as two sign-ins would: the timer keeps running while both hash off the main thread.
    const hashing = await longestStall(() => Promise.all([hashPassword('one password'), hashPassword('another')]));
    expect(hashing.workMs).toBeGreaterThan(100); // a cost that would show up as a stall
    expect(hashing.stallMs).toBeLessThan(80); // bcryptjs: ~200 ms at this cost
    const h = await hashPassword('one password');
    const verifying = await longestStall(() => verifyPassword('one password', h));
    expect(verifying.workMs).toBeGreaterThan(100);
    expect(verifying.stallMs).toBeLessThan(80);
  });
});
