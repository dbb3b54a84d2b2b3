import { Forbidden } from '@/components/forbidden';
import { NasDetailView } from '@/components/nas/nas-detail';
import { NasNotFound } from '@/components/nas/nas-not-found';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'NAS · NAS Panel' };

export default async function NasDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await actorWith('nas.view', `/nas/${id}`);
  if (!allowed) return <Forbidden permission="nas.view" />;
  const nasId = Number(id);
  // A malformed id reads the same as a missing or out-of-scope NAS.
  if (!Number.isSafeInteger(nasId) || nasId <= 0) return <NasNotFound />;
  return <NasDetailView id={nasId} />;
}
