import type { NextRequest } from 'next/server';
import type { Permission } from '@/lib/permissions';
import type { Actor } from '@/server/auth/actor';
import { actorFromCookies } from '@/server/auth/session-cookie';

/** The route handlers' actor: the same session cookie and actor cache as tRPC; a Response when refused. */
export async function requestActor(req: NextRequest, permission: Permission): Promise<Actor | Response> {
  const actor = await actorFromCookies(Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value])));
  if (!actor) return Response.json({ error: 'sign in first' }, { status: 401 });
  if (!actor.permissions.has(permission)) return Response.json({ error: `missing permission ${permission}` }, { status: 403 });
  return actor;
}

/** A query parameter that must be a row id, or null when absent; undefined when present but not one. */
export function idParam(req: NextRequest, name: string): number | null | undefined {
  const raw = req.nextUrl.searchParams.get(name);
  if (raw === null || raw === '') return null;
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : undefined;
}
