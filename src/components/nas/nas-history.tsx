'use client';

import { errorMessage } from '@/components/ui/error-text';
import { RelativeTime } from '@/components/ui/relative-time';
import { api } from '@/trpc/react';

/** Recent audit entries for one NAS: who changed what, never a secret's value (the server writes "secret changed"). */
export function NasHistory({ nasId }: { nasId: number }) {
  const history = api.nas.history.useQuery({ id: nasId }, { retry: false });
  if (history.error) return <p className="text-sm text-red-600">Could not load history: {errorMessage(history.error)}</p>;
  if (!history.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (history.data.length === 0) return <p className="text-sm text-slate-500">No changes recorded yet.</p>;
  return (
    <ol className="divide-y divide-slate-100 text-sm" data-testid="nas-history">
      {history.data.map((h) => (
        <li key={h.id} className="flex flex-wrap items-baseline gap-x-3 py-1.5" data-testid="nas-history-entry">
          <span className="w-24 shrink-0 text-xs text-slate-500">
            <RelativeTime iso={h.at} />
          </span>
          <span className="w-48 shrink-0 truncate text-xs text-slate-600" title={h.actorEmail}>
            {h.actorEmail}
          </span>
          <span className="min-w-0 flex-1 text-slate-800 wrap-anywhere max-sm:basis-full">{h.summary}</span>
        </li>
      ))}
    </ol>
  );
}
