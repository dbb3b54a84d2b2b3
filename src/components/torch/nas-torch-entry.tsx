'use client';

import { useCan } from '@/components/actor-context';
import { Section } from '@/components/ui/page-header';
import type { NasDetail } from '@/trpc/types';
import { NasTorchForm } from './nas-torch-form';

/** The NAS detail page's way into Live Torch of one of its interfaces (nas.diagnose, MikroTik API needed). */
export function NasTorchEntry({ nas }: { nas: NasDetail }) {
  const can = useCan();
  if (!can('nas.diagnose') || nas.type !== 'mikrotik') return null;
  return (
    <div className="xl:col-span-2">
      <Section title="Live Torch" testId="nas-section-torch">
        {nas.hasApiCredentials ? (
          <NasTorchForm nasId={nas.id} />
        ) : (
          <p className="text-sm text-slate-500">Torch runs on the router through its API: add API credentials to this NAS first.</p>
        )}
      </Section>
    </div>
  );
}
