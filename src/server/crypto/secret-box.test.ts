import { createCipheriv, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { db } from '@/server/db/client';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { makeSubscriber } from '@/server/radius-service/test-support';
import { nasApiPasswordBinding, nasSecretBinding } from '@/server/services/nas/nas-secrets';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';
import { TEST_ENV } from '@/test/test-env';
import { reencryptSecrets } from './reencrypt';
import { currentKeyId, decryptSecret, decryptVerifiedSecret, encryptSecret, SecretUnreadableError } from './secret-box';

const KEY_A = TEST_ENV.ENCRYPTION_KEY;
const KEY_B = 'b1'.repeat(32);

function setKeys(current: string, previous = '') {
  process.env.ENCRYPTION_KEY = current;
  process.env.ENCRYPTION_KEYS_PREVIOUS = previous;
  resetEnvCache();
}
afterEach(() => setKeys(KEY_A));

const stored = async (id: number) =>
  (
    await db().execute<{ secret_enc: string; api_password_enc: string }>(
      sql`select secret_enc, api_password_enc from nas_devices where id = ${id}`,
    )
  )[0];

describe('a ciphertext is bound to its row and column', () => {
  it('opens only where it was written', () => {
    const box = encryptSecret('s3cret', nasSecretBinding(7));
    expect(decryptSecret(box, nasSecretBinding(7))).toBe('s3cret');
    expect(() => decryptSecret(box, nasSecretBinding(8))).toThrow(SecretUnreadableError);
    expect(() => decryptSecret(box, nasApiPasswordBinding(7))).toThrow(SecretUnreadableError);
  });

  it('stores no plaintext, and the same secret twice gives two ciphertexts', async () => {
    const admin = await makeUser({ role: 'admin' });
    const plain = 'plain-radius-secret-1234';
    const a = await makeNas(admin, { secret: plain, apiUsername: 'u', apiPassword: plain });
    const row = await stored(a.id);
    for (const v of [row.secret_enc, row.api_password_enc]) {
      expect(v).toMatch(/^v2\.[0-9a-f]{8}\./);
      expect(v).not.toContain(plain);
      expect(v).not.toContain(Buffer.from(plain).toString('base64url'));
      expect(v).not.toContain(Buffer.from(plain).toString('base64'));
      expect(v).not.toContain(Buffer.from(plain).toString('hex'));
    }
    expect(row.secret_enc).not.toBe(row.api_password_enc);
  });

  it('a ciphertext copied into another row reads as unreadable there, and the form can set a new one', async () => {
    const admin = await makeUser({ role: 'admin' });
    const a = await makeNas(admin, { secret: 'secret-of-a' });
    const b = await makeNas(admin, { secret: 'secret-of-b', apiUsername: 'u', apiPassword: 'pw-of-b' });
    await db().execute(sql`update nas_devices set secret_enc = (select secret_enc from nas_devices where id = ${a.id}) where id = ${b.id}`);
    const c = callerFor(admin);
    const detail = await c.nas.get({ id: b.id });
    expect(detail).toMatchObject({ hasSecret: true, secretUnreadable: true, apiPasswordUnreadable: false });
    const keep = await c.nas.update({ ...detail, secret: '', apiPassword: '' }).catch((e) => e);
    expect(keep.message).toMatch(/^The stored secret is unreadable .*: set a new one$/);
    const test = await c.nas.testConnection({ id: b.id }).catch((e) => e);
    expect(test.message).toMatch(/^The stored secret is unreadable/);
    await c.nas.update({ ...detail, secret: 'a-new-secret', apiPassword: '' });
    expect(await c.nas.get({ id: b.id })).toMatchObject({ secretUnreadable: false });
  });
});

describe('keys rotate', () => {
  it('each ciphertext names its key; an old key still opens what it wrote; rotation rewrites everything in one go', async () => {
    const admin = await makeUser({ role: 'admin' });
    const nas = await makeNas(admin, { secret: 'rotating-secret', apiUsername: 'u', apiPassword: 'rotating-password' });
    const subscriber = await makeSubscriber({ username: `rotating-${nas.id}`, password: 'subscriber-password' });
    const subscriberPassword = async () =>
      (await db().execute<{ v: string }>(sql`select password_enc as v from subscribers where id = ${subscriber}`))[0].v;
    const idA = currentKeyId();
    expect((await stored(nas.id)).secret_enc.split('.')[1]).toBe(idA);

    setKeys(KEY_B, KEY_A);
    expect(currentKeyId()).not.toBe(idA);
    // Before rotation: written by A, read with A from the previous list.
    expect((await callerFor(admin).nas.get({ id: nas.id })).secretUnreadable).toBe(false);
    const r = await reencryptSecrets();
    expect(r.rewritten).toBeGreaterThanOrEqual(3);
    expect(r.unreadable).toBe(0);
    const row = await stored(nas.id);
    expect(row.secret_enc.split('.')[1]).toBe(currentKeyId());
    expect(row.api_password_enc.split('.')[1]).toBe(currentKeyId());
    // Nothing needs A any more.
    setKeys(KEY_B);
    expect(decryptSecret(row.secret_enc, nasSecretBinding(nas.id))).toBe('rotating-secret');
    expect(decryptSecret(row.api_password_enc, nasApiPasswordBinding(nas.id))).toBe('rotating-password');
    // Subscriber passwords rotate with the NAS secrets: the RADIUS service must not need the old key either.
    expect((await subscriberPassword()).split('.')[1]).toBe(currentKeyId());
    expect(decryptSecret(await subscriberPassword(), subscriberPasswordBinding(subscriber))).toBe('subscriber-password');
    expect((await reencryptSecrets()).rewritten).toBe(0);
    // Without the key that wrote it, a value is unreadable, never garbage.
    setKeys(KEY_A);
    expect(() => decryptSecret(row.secret_enc, nasSecretBinding(nas.id))).toThrow(/key this panel does not have/);
  });

  it('rewrites the first format (no key id, no binding) under the current key', async () => {
    const admin = await makeUser({ role: 'admin' });
    const nas = await makeNas(admin, { secret: 'whatever' });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY_A, 'hex'), iv);
    const ct = Buffer.concat([cipher.update('legacy-secret', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    await db().execute(sql`update nas_devices set secret_enc = ${v1} where id = ${nas.id}`);
    expect(decryptSecret(v1, nasSecretBinding(nas.id))).toBe('legacy-secret');
    await reencryptSecrets();
    const now = (await stored(nas.id)).secret_enc;
    expect(now.startsWith(`v2.${currentKeyId()}.`)).toBe(true);
    expect(decryptSecret(now, nasSecretBinding(nas.id))).toBe('legacy-secret');
  });

  it('leaves a value no key opens as it is, and counts it', async () => {
    const admin = await makeUser({ role: 'admin' });
    const nas = await makeNas(admin, { secret: 'x' });
    setKeys(KEY_B);
    const fromB = encryptSecret('written-by-b', nasSecretBinding(nas.id));
    setKeys(KEY_A);
    await db().execute(sql`update nas_devices set secret_enc = ${fromB} where id = ${nas.id}`);
    const r = await reencryptSecrets();
    expect(r.unreadable).toBeGreaterThanOrEqual(1);
    expect((await stored(nas.id)).secret_enc).toBe(fromB);
  });
});

describe('opening a ciphertext already verified for its row (the RADIUS hot path)', () => {
  it('gives what decryptSecret gives, for every length, under the current and an older key', () => {
    for (const keys of [[KEY_A], [KEY_B, KEY_A]] as const) {
      const writer = keys[keys.length - 1];
      setKeys(writer);
      // Lengths around block boundaries, and multi-byte characters.
      const plains = Array.from({ length: 70 }, (_, n) => 'p'.repeat(n)).concat(['pässwörd-ü', '密码-パスワード', 'x'.repeat(1000)]);
      const boxes = plains.map((p, i) => encryptSecret(p, subscriberPasswordBinding(i + 1)));
      setKeys(keys[0], keys.length > 1 ? KEY_A : '');
      boxes.forEach((box, i) => {
        expect(decryptVerifiedSecret(box, subscriberPasswordBinding(i + 1))).toBe(plains[i]);
        expect(decryptVerifiedSecret(box, subscriberPasswordBinding(i + 1))).toBe(decryptSecret(box, subscriberPasswordBinding(i + 1)));
      });
    }
  });

  it('does not check the tag or binding (that was done when the row was loaded); other formats go the full way', () => {
    const box = encryptSecret('s3cret', subscriberPasswordBinding(1));
    expect(decryptVerifiedSecret(box, subscriberPasswordBinding(2))).toBe('s3cret');
    setKeys(KEY_B);
    expect(() => decryptVerifiedSecret(box, subscriberPasswordBinding(1))).toThrow(/key this panel does not have/);
    setKeys(KEY_A);
    expect(() => decryptVerifiedSecret('garbage', subscriberPasswordBinding(1))).toThrow(SecretUnreadableError);
  });
});
