'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { PageHeader, Section } from '@/components/ui/page-header';
import { SelectField } from '@/components/ui/field';
import { displayShortName } from '@/lib/nas-display';
import { api } from '@/trpc/react';
import { NasSummaryCard } from './nas-summary-card';
import { NsLookupTool } from './nslookup-tool';
import { RouterTool } from './router-tool';

/**
 * Diagnostic Tools: pick a NAS, see its summary, and run Ping / Traceroute through it.
 */
export function DiagnosticsView({ initialNasId }: { initialNasId: number | null }) {
  const router = useRouter();
  const can = useCan();
  const [nasId, setNasId] = useState<number | null>(initialNasId);
  const list = api.nas.list.useQuery({ limit: 1000, offset: 0 });

  function select(value: string) {
    const id = value ? Number(value) : null;
    setNasId(id);
    // Keep the URL shareable: it always names the NAS on screen.
    router.replace(id ? `/diagnostics?nas_id=${id}` : '/diagnostics', { scroll: false });
  }

  const items = list.data?.items ?? [];
  const selectedMissing = nasId !== null && list.data !== undefined && !items.some((n) => n.id === nasId);

  return (
    <div>
      <PageHeader title="Diagnostic Tools" subtitle="Checks that run from the panel or through a chosen NAS." />
      <div className="space-y-4">
        <Section title="Target NAS" testId="diagnostics-target">
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-[18rem_1fr]">
            <SelectField
              label="NAS"
              name="nas_id"
              value={nasId === null ? '' : String(nasId)}
              onChange={(e) => select(e.target.value)}
              data-testid="diagnostics-nas-select"
              hint={list.data && items.length === 0 ? 'No NAS devices available to you.' : undefined}
            >
              <option value="">{list.isLoading ? 'Loading…' : 'Choose a NAS'}</option>
              {/* The URL may name a NAS the list does not show (deleted, or not yours): keep it selectable. */}
              {selectedMissing && <option value={nasId}>NAS #{nasId}</option>}
              {items.map((n) => (
                <option key={n.id} value={n.id}>
                  {displayShortName(n)} — {n.ipAddress}
                </option>
              ))}
            </SelectField>
            {nasId !== null ? (
              <NasSummaryCard nasId={nasId} />
            ) : (
              <p className="self-center text-sm text-slate-500">Choose a NAS to see its summary.</p>
            )}
          </div>
        </Section>
        {nasId !== null && (
          <Section title="Ping / Traceroute through the router" testId="diagnostics-router-tool">
            {can('nas.diagnose') ? (
              <RouterTool key={nasId} nasId={nasId} />
            ) : (
              <p className="text-sm text-slate-500" data-testid="diagnostics-no-permission">
                Running Ping / Traceroute through a router needs the nas.diagnose permission.
              </p>
            )}
          </Section>
        )}
        {nasId !== null && can('nas.diagnose') && (
          <Section title="NSLookup through the router" testId="diagnostics-nslookup">
            <NsLookupTool key={nasId} nasId={nasId} />
          </Section>
        )}
      </div>
    </div>
  );
}
