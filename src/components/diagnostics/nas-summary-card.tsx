'use client';

import Link from 'next/link';
import { ApiBadge, NasStatus } from '@/components/nas/nas-badges';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { api } from '@/trpc/react';

/** The facts an operator checks before running a tool through a NAS: where it is, how to reach it, is it up. */
export function NasSummaryCard({ nasId }: { nasId: number }) {
  const nas = api.nas.get.useQuery({ id: nasId }, { retry: false });
  if (nas.error) {
    return (
      <p role="alert" className="self-center text-sm text-red-600" data-testid="diagnostics-nas-error">
        {errorCode(nas.error) === 'NOT_FOUND' ? 'NAS not found' : errorMessage(nas.error)}
      </p>
    );
  }
  if (!nas.data) return <p className="self-center text-sm text-slate-500">Loading…</p>;
  const n = nas.data;
  const apiPort = n.useSsl ? `${n.apiSslPort} (SSL)` : String(n.apiPort);
  const rows: [string, React.ReactNode][] = [
    [
      'IP Address',
      <span key="ip" className="font-mono text-xs">
        {n.ipAddress}
      </span>,
    ],
    ['Type', n.type],
    ['Status', <NasStatus key="st" isOnline={n.isOnline} isActive={n.isActive} lastSeen={n.lastSeen} />],
    ['Version', n.version || '—'],
    ['RADIUS ports', `auth ${n.authPort} · acct ${n.acctPort} · CoA ${n.coaPort}`],
    [
      'MikroTik API',
      n.type === 'generic' ? (
        'not used (generic)'
      ) : (
        <span key="api" className="flex flex-wrap items-center gap-2">
          <ApiBadge hasApiPassword={n.hasApiPassword} />
          <span className="text-xs text-slate-600">
            {n.hasApiCredentials ? `${n.apiUsername}@${n.apiHost || n.ipAddress}:${apiPort}` : 'not configured'}
          </span>
        </span>
      ),
    ],
  ];
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3" data-testid="diagnostics-nas-summary">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <Link
          href={`/nas/${n.id}`}
          className="font-semibold text-slate-900 hover:underline max-md:inline-flex max-md:min-h-10 max-md:items-center"
        >
          {n.name}
        </Link>
        <span className="text-xs text-slate-500">{n.activeSessions} active sessions</span>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1.5 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label} className="flex gap-2">
            <dt className="w-28 shrink-0 text-slate-500">{label}</dt>
            <dd className="min-w-0 text-slate-900 wrap-anywhere">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
