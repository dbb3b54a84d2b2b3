import { actorFromCookies } from '@/server/auth/session-cookie';
import type { Context } from './trpc';

/** A request's tRPC context: its actor, from the session cookie only. Both tRPC endpoints come here. */
export async function contextOfCookies(cookies: Partial<Record<string, string>>): Promise<Context> {
  return { actor: await actorFromCookies(cookies) };
}

/**
 * A `Cookie` header as name → value, as Next parses it for API routes: pairs split on `;`, the first
 * `=` separates name and value, values URL-decoded where they decode, the first of a repeated name kept.
 */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      out[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      out[name] = value;
    }
  }
  return out;
}
