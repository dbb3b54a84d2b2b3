import { cookies } from 'next/headers';
import type { Actor } from './actor';
import { actorFromCookies } from './session-cookie';

/** The signed-in user's actor for server components, or null. */
export async function currentActor(): Promise<Actor | null> {
  const jar = await cookies();
  return actorFromCookies(Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])));
}
