import { Forbidden } from '@/components/forbidden';
import { TorchView } from '@/components/torch/torch-view';
import { BackLink } from '@/components/ui/back-link';
import { PageHeader } from '@/components/ui/page-header';
import { ZTorchSessionInput } from '@/lib/schemas/torch';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Live Torch · NAS Panel' };

export default async function SessionTorchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await actorWith('sessions.view', `/sessions/${id}/torch`);
  if (!allowed) return <Forbidden permission="sessions.view" />;
  const input = ZTorchSessionInput.safeParse({ id: /^\d{1,16}$/.test(id) ? Number(id) : NaN });
  return (
    <div data-testid="session-torch-page">
      <BackLink href="/sessions">Sessions</BackLink>
      <PageHeader title="Live Torch" subtitle={`Session #${id}: its traffic per flow, from its router, every second`} />
      {input.success ? (
        <TorchView source={{ kind: 'session', id: input.data.id }} />
      ) : (
        // A malformed id reads the same as a missing or out-of-scope session.
        <p className="text-sm text-red-600" role="alert">
          open session #{id} not found
        </p>
      )}
    </div>
  );
}
