import { Forbidden } from '@/components/forbidden';
import { SubscriberList } from '@/components/subscribers/subscriber-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Subscribers · NAS Panel' };

type Params = { nas_id?: string | string[]; plan_id?: string | string[] };

/** An id from the query string, or null for anything else (the filter then starts empty). */
function idParam(v: string | string[] | undefined): number | null {
  const id = Number(Array.isArray(v) ? v[0] : v);
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
}

export default async function SubscribersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const nasId = idParam(params.nas_id);
  const planId = idParam(params.plan_id);
  const query = [nasId && `nas_id=${nasId}`, planId && `plan_id=${planId}`].filter(Boolean).join('&');
  const { allowed } = await actorWith('subscribers.view', `/subscribers${query ? `?${query}` : ''}`);
  if (!allowed) return <Forbidden permission="subscribers.view" />;
  // Read here (not with useSearchParams) so the filters are preselected on first paint: the NAS page's Total
  // Users link (?nas_id=X) and the plans page's subscriber count (?plan_id=X).
  return <SubscriberList initialNasId={nasId} initialPlanId={planId} />;
}
