import { DiagnosticsView } from '@/components/diagnostics/diagnostics-view';
import { Forbidden } from '@/components/forbidden';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Diagnostic Tools · NAS Panel' };

export default async function DiagnosticsPage({ searchParams }: { searchParams: Promise<{ nas_id?: string | string[] }> }) {
  const { nas_id } = await searchParams;
  const { allowed } = await actorWith('nas.view', `/diagnostics${nas_id ? `?nas_id=${encodeURIComponent(String(nas_id))}` : ''}`);
  if (!allowed) return <Forbidden permission="nas.view" />;
  // Read here rather than with useSearchParams, so the page needs no Suspense boundary and renders the
  // preselected NAS on first paint.
  const id = Number(Array.isArray(nas_id) ? nas_id[0] : nas_id);
  return <DiagnosticsView initialNasId={Number.isSafeInteger(id) && id > 0 ? id : null} />;
}
