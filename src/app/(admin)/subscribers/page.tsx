import { Forbidden } from '@/components/forbidden';
import { SubscriberList } from '@/components/subscribers/subscriber-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Subscribers · NAS Panel' };

export default async function SubscribersPage({ searchParams }: { searchParams: Promise<{ nas_id?: string | string[] }> }) {
  const { nas_id } = await searchParams;
  const { allowed } = await actorWith('subscribers.view', `/subscribers${nas_id ? `?nas_id=${encodeURIComponent(String(nas_id))}` : ''}`);
  if (!allowed) return <Forbidden permission="subscribers.view" />;
  // Read here (not with useSearchParams) so the NAS filter is preselected on first paint: the NAS page's Total Users link.
  const id = Number(Array.isArray(nas_id) ? nas_id[0] : nas_id);
  return <SubscriberList initialNasId={Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null} />;
}
