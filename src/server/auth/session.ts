import { cookies } from 'next/headers';
import { getToken } from 'next-auth/jwt';
import { env } from '@/env';
import { loadActor, type Actor } from './actor';

/**
 * The signed-in user's actor for server components and route handlers, or null.
 *
 * Reads the session cookie with `getToken` (one decryption). `getServerSession` also runs next-auth's
 * whole session route and re-encrypts a refreshed token on every call, a cookie that server components
 * and route handlers cannot set anyway: that was 14% of the panel's CPU per API call (docs/BENCHMARKS.md).
 * Only cookies are passed, so a token is never taken from an Authorization header.
 */
export async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  const token = await getToken({
    req: { cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])), headers: {} } as Parameters<typeof getToken>[0]['req'],
    secret: env().NEXTAUTH_SECRET,
  });
  const id = token?.uid;
  return typeof id === 'number' ? loadActor(id) : null;
}
