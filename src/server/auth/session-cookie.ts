import { getToken } from 'next-auth/jwt';
import { env } from '@/env';
import type { Actor } from './actor';
import { cachedSessionActor } from './actor-cache';

/**
 * The actor of a request's session cookie, or null: the API route and server components both come here.
 * The cookie names a `user_sessions` row (and its user); the actor comes only through that row while it is
 * live, so a revoked session is refused even with a cookie that still decrypts.
 *
 * Reads the cookie with `getToken` (one decryption). `getServerSession` also runs next-auth's whole
 * session route and re-encrypts a refreshed token on every call, a cookie that server components and API
 * calls cannot set anyway: that was 14% of the panel's CPU per API call (docs/BENCHMARKS.md). Only cookies
 * are passed, so a token is never taken from an Authorization header.
 */
export async function actorFromCookies(cookieValues: Partial<Record<string, string>>): Promise<Actor | null> {
  const session = await sessionOfCookie(cookieValues);
  if (!session) return null;
  const actor = await cachedSessionActor(session.sessionId);
  return actor?.userId === session.userId ? actor : null;
}

type Decoded = { userId: number; sessionId: string } | null;

// The same cookie arrives with every call of a browser session, and decrypting it (HKDF, then AES-GCM,
// each a hop through Node's crypto thread pool) gives the same answer every time until it expires: keep
// the answer, keyed by the whole cookie. Whether its session is still live is asked every time (through
// the actor cache), and a token past its `exp` is never answered from here. On globalThis, like the actor
// cache: the API route and the pages are separate module graphs in one process.
const g = globalThis as unknown as { __nasPanelSessions?: Map<string, { session: Decoded; expiresAt: number }> };
const decoded = (g.__nasPanelSessions ??= new Map());
const MAX_DECODED = 10_000;
const NEGATIVE_TTL_MS = 60_000;

async function sessionOfCookie(cookieValues: Partial<Record<string, string>>): Promise<Decoded> {
  const key = sessionCookie(cookieValues);
  if (key === null) return null;
  const hit = decoded.get(key);
  if (hit && Date.now() < hit.expiresAt) return hit.session;
  const token = await getToken({
    req: { cookies: cookieValues, headers: {} } as Parameters<typeof getToken>[0]['req'],
    secret: env().NEXTAUTH_SECRET,
  });
  // A token from before sessions were rows carries no `sid`: it no longer lets anyone in.
  const session = typeof token?.uid === 'number' && typeof token.sid === 'string' ? { userId: token.uid, sessionId: token.sid } : null;
  const exp = typeof token?.exp === 'number' ? token.exp * 1000 : 0;
  if (decoded.size >= MAX_DECODED) decoded.clear();
  decoded.set(key, { session, expiresAt: session === null ? Date.now() + NEGATIVE_TTL_MS : exp });
  return session;
}

/** Every cookie next-auth may read the session from (plain, __Secure-, chunked .0/.1…), as one cache key. */
function sessionCookie(cookieValues: Partial<Record<string, string>>): string | null {
  const parts = Object.entries(cookieValues).filter(([name, v]) => v && /^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(name));
  if (!parts.length) return null;
  return parts
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`)
    .join(';');
}
