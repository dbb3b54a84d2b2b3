import { sql } from 'drizzle-orm';
import { throttledErrorCode } from '@/app/(auth)/signin/signin-error';
import { db } from '@/server/db/client';
import { dummyHash, verifyPassword } from './password';
import { createSession } from './sessions';
import { clearAccountFailures, lockedForMs, recordFailure, throttleKeys } from './signin-throttle';

/** Thrown for a throttled sign-in; its message is the code the form turns into "try again in N minutes". */
export class SigninThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(throttledErrorCode(retryAfterMs));
  }
}

export interface SignedIn {
  id: string;
  email: string;
  name: string;
  /** The `user_sessions` row the cookie will name. */
  sessionId: string;
}

/**
 * Checks an e-mail and password, under the throttle. Nothing in the answer or its timing tells whether the
 * e-mail exists: an unknown one is counted and locked like a known one, its password is checked against a
 * hash of the same cost, and a locked key is refused before any password is checked at all.
 */
export async function signInWithPassword(emailTyped: string, password: string, clientAddress: string): Promise<SignedIn | null> {
  const email = emailTyped.trim();
  // No account has an e-mail past 254 characters; a huge one must not become a huge throttle key either.
  if (!email || !password || email.length > 254 || password.length > 1024) return null;
  const keys = throttleKeys(email, clientAddress);
  const lockedMs = await lockedForMs(keys);
  if (lockedMs > 0) throw new SigninThrottledError(lockedMs);

  const [user] = await db().execute<{ id: number; email: string; name: string; password_hash: string; is_active: boolean }>(sql`
    select id, email, name, password_hash, is_active from users where lower(email) = lower(${email})`);
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
  if (!user || !ok || !user.is_active) {
    const nowLockedMs = await recordFailure(keys);
    if (nowLockedMs > 0) throw new SigninThrottledError(nowLockedMs);
    return null;
  }
  await clearAccountFailures(email);
  const session = await createSession(user.id, clientAddress);
  return { id: String(user.id), email: user.email, name: user.name, sessionId: session.id };
}
