import { Forbidden } from '@/components/forbidden';
import { SubscriberDetailView } from '@/components/subscribers/subscriber-detail';
import { SubscriberNotFound } from '@/components/subscribers/subscriber-not-found';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Subscriber · NAS Panel' };

export default async function SubscriberDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await actorWith('subscribers.view', `/subscribers/${id}`);
  if (!allowed) return <Forbidden permission="subscribers.view" />;
  const subscriberId = Number(id);
  // A malformed id reads the same as a missing or out-of-scope subscriber.
  if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || subscriberId > 2_147_483_647) return <SubscriberNotFound />;
  return <SubscriberDetailView id={subscriberId} />;
}
