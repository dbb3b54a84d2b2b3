import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { pgTextArray } from '@/server/db/pg-array';
import { addressThrottleKey } from './client-address';

/**
 * Failed sign-ins are counted per account (the e-mail as typed, lower-cased, whether or not it exists) and
 * per client address, in PostgreSQL so every instance counts together. A key with `maxFailures` failures
 * in a window is locked, for `firstLockMs`, doubling with each further failure up to `maxLockMs`.
 */
export const SIGNIN_THROTTLE = {
  windowMs: 15 * 60_000,
  accountMaxFailures: 5,
  // Higher: a whole office or a carrier-grade NAT may sign in from one address.
  addressMaxFailures: 30,
  firstLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  /** Forgotten rows removed per recorded failure: the table stays small without a job. */
  cleanupBatch: 100,
} as const;

export function throttleKeys(email: string, address: string): string[] {
  const keys = [`email:${email.trim().toLowerCase()}`];
  if (address) keys.push(`ip:${addressThrottleKey(address)}`);
  return keys;
}

const keyArray = (keys: string[]) => sql`${pgTextArray(keys)}::text[]`;

/** Milliseconds until the last of these keys is unlocked; 0 when none is locked. */
export async function lockedForMs(keys: string[]): Promise<number> {
  const [row] = await db().execute<{ ms: number }>(sql`
    select coalesce(max(extract(epoch from locked_until - now()) * 1000), 0)::float8 as ms
    from signin_attempts where key = any(${keyArray(keys)}) and locked_until > now()`);
  return Math.max(0, Math.ceil(row.ms));
}

/**
 * Counts a failure against each key and answers how long the keys are now locked (0: not locked), so the
 * failure that reaches the limit already says so.
 *
 * A window starts at a key's first failure. Reaching the limit locks the key and moves its window's start
 * to the end of the lock: a failure within a window after the lock locks again, twice as long, while a key
 * left alone for a whole window starts over (and is deleted by a later clean-up).
 */
export async function recordFailure(keys: string[]): Promise<number> {
  const t = SIGNIN_THROTTLE;
  const ms = (n: number) => sql`(${n}::int * interval '1 millisecond')`;
  const stale = sql`a.window_started_at <= now() - ${ms(t.windowMs)}`;
  const failures = sql`(case when ${stale} then 1 else a.failures + 1 end)`;
  const limit = sql`(case when a.key like 'ip:%' then ${t.addressMaxFailures}::int else ${t.accountMaxFailures}::int end)`;
  const lockEnd = sql`(now() + least(${ms(t.firstLockMs)} * power(2, least(${failures} - ${limit}, 20)), ${ms(t.maxLockMs)}))`;
  const [row] = await db().execute<{ ms: number }>(sql`
    with counted as (
      insert into signin_attempts as a (key, failures, window_started_at, locked_until)
      select k, 1, now(), null from unnest(${keyArray(keys)}) k
      on conflict (key) do update set
        failures = ${failures},
        locked_until = case when ${failures} >= ${limit} then ${lockEnd} end,
        window_started_at = case when ${failures} >= ${limit} then ${lockEnd} when ${stale} then now() else a.window_started_at end
      returning locked_until
    )
    select coalesce(max(extract(epoch from locked_until - now()) * 1000), 0)::float8 as ms from counted`);
  await db().execute(sql`
    delete from signin_attempts where key in (
      select key from signin_attempts
      where window_started_at <= now() - ${ms(t.windowMs)}
      limit ${t.cleanupBatch}::int)`);
  return Math.max(0, Math.ceil(row.ms));
}

/** A successful sign-in forgets the account's failures (not the address's: one good account must not reset it). */
export async function clearAccountFailures(email: string): Promise<void> {
  await db().execute(sql`delete from signin_attempts where key = ${throttleKeys(email, '')[0]}`);
}
