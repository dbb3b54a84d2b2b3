import { Forbidden } from '@/components/forbidden';
import { NasNotFound } from '@/components/nas/nas-not-found';
import { NasTorchForm } from '@/components/torch/nas-torch-form';
import { TorchView } from '@/components/torch/torch-view';
import { BackLink } from '@/components/ui/back-link';
import { PageHeader } from '@/components/ui/page-header';
import { ZTorchInterfaceInput } from '@/lib/schemas/torch';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Live Torch · NAS Panel' };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function NasTorchPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const values = { interface: one(search.interface), src: one(search.src), dst: one(search.dst) };
  const query = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  const { allowed } = await actorWith('nas.diagnose', `/nas/${id}/torch${query ? `?${query}` : ''}`);
  if (!allowed) return <Forbidden permission="nas.diagnose" />;
  const nasId = Number(id);
  if (!Number.isSafeInteger(nasId) || nasId <= 0) return <NasNotFound />;
  const input = values.interface
    ? ZTorchInterfaceInput.safeParse({ id: nasId, interface: values.interface, srcAddress: values.src, dstAddress: values.dst })
    : null;
  return (
    <div data-testid="nas-torch-page">
      <BackLink href={`/nas/${nasId}`}>NAS</BackLink>
      <PageHeader
        title="Live Torch"
        subtitle={values.interface ? `Interface ${values.interface}, per flow, every second` : 'Choose an interface'}
      />
      {input?.success ? (
        // Keyed by the query: another interface is another torch.
        <TorchView key={query} source={{ kind: 'interface', ...input.data }} />
      ) : (
        <div className="space-y-2">
          {input && (
            <p className="text-sm text-red-600" role="alert">
              {input.error.issues.map((i) => i.message).join('; ')}
            </p>
          )}
          <NasTorchForm nasId={nasId} values={values} />
        </div>
      )}
    </div>
  );
}
