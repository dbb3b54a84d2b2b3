import { getServerSession } from 'next-auth';
import { loadActor, type Actor } from './actor';
import { authOptions } from './options';

/** The signed-in user's actor for server components and route handlers, or null. */
export async function currentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: number } | undefined)?.id;
  return typeof id === 'number' ? loadActor(id) : null;
}
