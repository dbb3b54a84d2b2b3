import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { signinErrorMessage } from '@/app/(auth)/signin/signin-error';
import { db } from '@/server/db/client';
import { uid } from '@/test/fixtures';
import { hashPassword } from './password';
import { SigninThrottledError, signInWithPassword } from './sign-in';
import { SIGNIN_THROTTLE } from './signin-throttle';

const PASSWORD = 'the-right-password';
let addressSeq = 0;
/** Each test its own client address, so the per-address count of one test never locks another's. */
const newAddress = () => `198.51.100.${++addressSeq}`;

async function makeAccount(opts: { active?: boolean } = {}) {
  const email = `${uid('signin')}@test.local`;
  await db().execute(sql`insert into users (email, password_hash, role_id, is_active)
    values (${email}, ${await hashPassword(PASSWORD)}, (select id from roles where name = 'operator'), ${opts.active ?? true})`);
  return email;
}

/** What the form would show for one attempt: null for a success. */
async function attempt(email: string, password: string, address: string): Promise<string | null> {
  try {
    const r = await signInWithPassword(email, password, address);
    return r ? null : signinErrorMessage('CredentialsSignin');
  } catch (e) {
    if (e instanceof SigninThrottledError) return signinErrorMessage(e.message);
    throw e;
  }
}

const FAILED = 'Sign-in failed: check your email and password.';
const throttled = (minutes: number) => `Too many failed sign-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;

function withCost(cost: string) {
  process.env.PASSWORD_HASH_ROUNDS = cost;
  resetEnvCache();
}
afterEach(() => withCost('4'));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('sign-in', () => {
  it('signs in with the right password and opens a session row with the client’s address', async () => {
    const email = await makeAccount();
    const address = newAddress();
    const r = await signInWithPassword(`  ${email.toUpperCase()} `, PASSWORD, address);
    expect(r?.email).toBe(email);
    const [row] = await db().execute<{ user_id: number; client_address: string; live: boolean }>(sql`
      select user_id, client_address, (revoked_at is null and expires_at > now()) as live from user_sessions where id = ${r!.sessionId}`);
    expect(row).toMatchObject({ user_id: Number(r!.id), client_address: address, live: true });
  });

  it('refuses an e-mail no account can have (past 254 characters) without storing it as a throttle key', async () => {
    const huge = `${'x'.repeat(100_000)}@test.local`;
    expect(await attempt(huge, 'whatever', newAddress())).toBe(FAILED);
    const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from signin_attempts where length(key) > 1000`);
    expect(n).toBe(0);
  });

  it('refuses a deactivated account with the same answer as a wrong password', async () => {
    const email = await makeAccount({ active: false });
    expect(await attempt(email, PASSWORD, newAddress())).toBe(FAILED);
  });
});

describe('sign-in throttling', () => {
  const { accountMaxFailures } = SIGNIN_THROTTLE;

  it('locks an account after 5 failures, refusing even the right password, with the same answers whether or not the e-mail exists', async () => {
    const known = await makeAccount();
    const unknown = `${uid('nobody')}@test.local`;
    const answers: Record<string, (string | null)[]> = { known: [], unknown: [] };
    for (const [who, email] of [
      ['known', known],
      ['unknown', unknown],
    ] as const) {
      const address = newAddress();
      for (let i = 1; i < accountMaxFailures; i++) answers[who].push(await attempt(email, 'wrong password', address));
      answers[who].push(await attempt(email, 'wrong password', address)); // the 5th: locked from now on
      answers[who].push(await attempt(email, PASSWORD, newAddress())); // right password, another address: still the account's lock
    }
    expect(answers.known).toEqual([...Array(accountMaxFailures - 1).fill(FAILED), throttled(1), throttled(1)]);
    expect(answers.unknown).toEqual(answers.known);
  });

  it('refuses a locked attempt without checking the password (no hashing work)', async () => {
    withCost('12');
    const email = await makeAccount(); // hashed at cost 12: a check takes a few hundred ms
    const address = newAddress();
    const checking = await timed(() => attempt(email, 'wrong password', address));
    expect(checking).toBeGreaterThan(100);
    for (let i = 1; i < accountMaxFailures; i++) await attempt(email, 'wrong password', address);
    const locked = await timed(async () => expect(await attempt(email, PASSWORD, address)).toBe(throttled(1)));
    expect(locked).toBeLessThan(checking / 3);
  });

  it('does the same hashing work for an unknown e-mail as for a known one, at the configured cost', async () => {
    withCost('9');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      const email = await makeAccount();
      known.push(await timed(() => attempt(email, 'wrong password', newAddress())));
      unknown.push(await timed(() => attempt(`${uid('nobody')}@test.local`, 'wrong password', newAddress())));
    }
    const ratio = median(unknown) / median(known);
    expect(median(known)).toBeGreaterThan(15); // cost 9 is measurable
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('a success clears the account’s failures', async () => {
    const email = await makeAccount();
    const address = newAddress();
    for (let i = 1; i < accountMaxFailures; i++) expect(await attempt(email, 'wrong password', address)).toBe(FAILED);
    expect(await attempt(email, PASSWORD, address)).toBeNull();
    for (let i = 1; i < accountMaxFailures; i++) expect(await attempt(email, 'wrong password', address)).toBe(FAILED);
  });

  it('locks a client address after 30 failures across accounts; other addresses are not affected', async () => {
    const address = newAddress();
    const victim = await makeAccount();
    const answers: (string | null)[] = [];
    for (let i = 0; i < SIGNIN_THROTTLE.addressMaxFailures; i++)
      answers.push(await attempt(`${uid('spray')}@test.local`, 'guess', address));
    expect(answers.slice(0, -1).every((a) => a === FAILED)).toBe(true);
    expect(answers.at(-1)).toBe(throttled(1));
    expect(await attempt(victim, PASSWORD, address)).toBe(throttled(1));
    expect(await attempt(victim, PASSWORD, newAddress())).toBeNull();
  });

  it('locks again for twice as long after each further failure, up to an hour', async () => {
    const email = await makeAccount();
    const key = `email:${email}`;
    const expire = () =>
      db().execute(sql`update signin_attempts set locked_until = now() - interval '1 second',
      window_started_at = now() - interval '1 second' where key = ${key}`);
    for (let i = 0; i < accountMaxFailures; i++) await attempt(email, 'wrong password', newAddress());
    const minutes: string[] = [];
    for (let i = 0; i < 8; i++) {
      await expire(); // the lock ran out a moment ago; the next failure comes within the window after it
      minutes.push((await attempt(email, 'wrong password', newAddress()))!);
    }
    expect(minutes).toEqual([2, 4, 8, 16, 32, 60, 60, 60].map(throttled));
  });

  it('forgets failures older than the window, and clears out forgotten rows', async () => {
    const email = await makeAccount();
    const key = `email:${email}`;
    for (let i = 1; i < accountMaxFailures; i++) await attempt(email, 'wrong password', newAddress());
    await db().execute(sql`update signin_attempts set window_started_at = now() - interval '16 minutes' where key = ${key}`);
    expect(await attempt(email, 'wrong password', newAddress())).toBe(FAILED); // counted as the first again
    const [{ failures }] = await db().execute<{ failures: number }>(sql`select failures from signin_attempts where key = ${key}`);
    expect(failures).toBe(1);

    await db().execute(sql`insert into signin_attempts (key, failures, window_started_at, locked_until)
      values ('email:stale@test.local', 3, now() - interval '2 hours', now() - interval '90 minutes'),
             ('email:locked-long@test.local', 9, now() + interval '30 minutes', now() + interval '30 minutes')`);
    await attempt(`${uid('nobody')}@test.local`, 'x', newAddress());
    const left = await db().execute<{ key: string }>(
      sql`select key from signin_attempts where key in ('email:stale@test.local', 'email:locked-long@test.local')`,
    );
    expect(left.map((r) => r.key)).toEqual(['email:locked-long@test.local']);
  });
});
