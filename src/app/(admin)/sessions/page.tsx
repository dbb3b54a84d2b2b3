import { Forbidden } from '@/components/forbidden';
import { SessionList } from '@/components/sessions/session-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Sessions · NAS Panel' };

type Params = { nas_id?: string | string[] };

/** An id from the query string, or null for anything else (the filter then starts empty). */
function idParam(v: string | string[] | undefined): number | null {
  const id = Number(Array.isArray(v) ? v[0] : v);
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const nasId = idParam((await searchParams).nas_id);
  const { allowed } = await actorWith('sessions.view', `/sessions${nasId ? `?nas_id=${nasId}` : ''}`);
  if (!allowed) return <Forbidden permission="sessions.view" />;
  // Read here so the NAS filter is preselected on first paint: the NAS table's Active sessions link (?nas_id=X).
  return <SessionList initialNasId={nasId} />;
}
