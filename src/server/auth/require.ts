import { redirect } from 'next/navigation';
import type { Permission } from '@/lib/permissions';
import type { Actor } from './actor';
import { currentActor } from './session';

/** For server components: the signed-in actor, or a redirect to sign-in. */
export async function requireActor(returnTo: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}

export async function actorWith(permission: Permission, returnTo: string): Promise<{ actor: Actor; allowed: boolean }> {
  const actor = await requireActor(returnTo);
  return { actor, allowed: actor.permissions.has(permission) };
}
