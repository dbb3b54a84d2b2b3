'use client';

import Link from 'next/link';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { errorMessage } from '@/components/ui/error-text';
import type { RouterOutputs } from '@/trpc/types';
import { api } from '@/trpc/react';

type Dashboard = RouterOutputs['nasDashboard']['get'];

const REFRESH_MS = 30_000;
const DAY_MS = 24 * 3_600_000;
const hhmm = (iso: string | number) => new Date(iso).toISOString().slice(11, 16);

/** The NAS detail page's charts: sessions over 24 h, sessions now, pool usage, RADIUS counters. */
export function NasDashboard({ nasId }: { nasId: number }) {
  const q = api.nasDashboard.get.useQuery({ id: nasId }, { refetchInterval: REFRESH_MS, retry: false });
  if (q.error) {
    return (
      <p role="alert" className="text-sm text-red-600">
        Could not load the dashboard: {errorMessage(q.error)}
      </p>
    );
  }
  if (!q.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const d = q.data;
  // When this answer was fetched: "now" for the charts, stable across re-renders.
  const now = q.dataUpdatedAt;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" data-testid="nas-dashboard">
      <Panel title="Sessions, last 24 h (UTC)" testId="dashboard-sessions">
        <SessionsChart d={d} now={now} />
      </Panel>
      <Panel title="Sessions now" testId="dashboard-current">
        <Link
          href={`/sessions?nas_id=${d.nasId}`}
          className="inline-flex min-h-10 min-w-10 items-center text-4xl font-semibold tabular-nums text-blue-700 hover:underline"
          data-testid="dashboard-current-sessions"
        >
          {d.currentSessions.toLocaleString('en')}
        </Link>
        <p className="mt-1 text-xs text-slate-500">open sessions; the number opens the Sessions page filtered to this NAS</p>
      </Panel>
      <Panel title="IP pool usage" testId="dashboard-pools">
        <PoolsChart d={d} />
      </Panel>
      <Panel title="RADIUS, last 24 h (UTC, hourly)" testId="dashboard-radius">
        <RadiusChart d={d} now={now} />
      </Panel>
    </div>
  );
}

function Panel({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    // min-w-0: a grid item otherwise grows to its chart's width and pushes the page sideways on a phone.
    <div className="min-w-0 rounded-md border border-slate-200 p-3" data-testid={testId}>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </div>
  );
}

function Empty({ children, testId }: { children: React.ReactNode; testId: string }) {
  return (
    <p className="flex h-40 items-center justify-center px-4 text-center text-sm text-slate-500" data-testid={testId}>
      {children}
    </p>
  );
}

function SessionsChart({ d, now }: { d: Dashboard; now: number }) {
  const { points, samplingSince, sampleIntervalMs } = d.sessions;
  const minutes = Math.round(sampleIntervalMs / 60_000);
  if (d.currentSessions === 0 && points.every((p) => p.open === 0)) {
    return (
      <Empty testId="dashboard-sessions-empty">
        No sessions on this NAS {points.length ? 'in the last 24 h' : 'yet'}. The panel samples open sessions every {minutes} minutes.
      </Empty>
    );
  }
  // The samples, then the live count as "now", so the line ends where the number beside it stands.
  const data = [...points.map((p) => ({ t: Date.parse(p.at), open: p.open })), { t: now, open: d.currentSessions }];
  const partial = samplingSince === null || Date.parse(samplingSince) > now - DAY_MS;
  return (
    <>
      <div className="h-40">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={hhmm} fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip labelFormatter={(t) => `${hhmm(Number(t))} UTC`} formatter={(v) => [v, 'open sessions']} />
            <Area type="stepAfter" dataKey="open" stroke="#2563eb" fill="#bfdbfe" isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      {partial && (
        <p className="mt-1 text-xs text-amber-700" data-testid="dashboard-sessions-partial">
          {samplingSince === null
            ? `Sampling has not run for this NAS yet (every ${minutes} minutes): only the current count is shown.`
            : `Sampling started at ${hhmm(samplingSince)} UTC (${points.length} samples): the chart begins there, not 24 h ago.`}
        </p>
      )}
    </>
  );
}

function PoolsChart({ d }: { d: Dashboard }) {
  if (d.pools.length === 0) {
    return (
      <Empty testId="dashboard-pools-empty">
        No pools imported. Pools are imported from a MikroTik with API credentials (IP pools section below: Sync pools).
      </Empty>
    );
  }
  const data = d.pools.map((p) => ({ name: p.name, inUse: p.inUse, free: p.size - p.inUse, size: p.size }));
  return (
    <div style={{ height: Math.max(120, 36 * data.length + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" allowDecimals={false} fontSize={11} />
          <YAxis type="category" dataKey="name" width={90} fontSize={11} />
          <Tooltip formatter={(v, name) => [v, name === 'inUse' ? 'in use' : 'free']} />
          <Legend formatter={(name) => (name === 'inUse' ? 'in use' : 'free')} />
          <Bar dataKey="inUse" stackId="pool" fill="#2563eb" isAnimationActive={false} />
          <Bar dataKey="free" stackId="pool" fill="#cbd5e1" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <ul className="sr-only" data-testid="dashboard-pools-list">
        {data.map((p) => (
          <li key={p.name}>
            {p.name}: {p.inUse} / {p.size} in use
          </li>
        ))}
      </ul>
    </div>
  );
}

const RADIUS_SERIES = [
  { key: 'accepts', label: 'accepts', color: '#16a34a' },
  { key: 'rejects', label: 'rejects', color: '#dc2626' },
  { key: 'accounting', label: 'accounting', color: '#2563eb' },
  { key: 'secretMismatches', label: 'secret mismatches', color: '#9333ea' },
] as const;

function RadiusChart({ d, now }: { d: Dashboard; now: number }) {
  const { lastHour, hours } = d.radius;
  if (lastHour === null) {
    return (
      <Empty testId="dashboard-radius-empty">
        The RADIUS service has not seen this NAS: no request or accounting packet from its address has been counted.
      </Empty>
    );
  }
  const totals = Object.fromEntries(
    (['requests', 'accepts', 'rejects', 'accounting', 'secretMismatches'] as const).map((k) => [k, hours.reduce((s, h) => s + h[k], 0)]),
  );
  if (Date.parse(lastHour) < now - DAY_MS) {
    return (
      <Empty testId="dashboard-radius-empty">
        Nothing from this NAS in the last 24 h (last counted in the hour of{' '}
        {new Date(lastHour).toISOString().slice(0, 13).replace('T', ' ')}:00 UTC).
      </Empty>
    );
  }
  return (
    <>
      <div className="h-40">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={hours.map((h) => ({ ...h, t: hhmm(h.hour) }))} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="t" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Legend />
            {RADIUS_SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="mt-1 text-xs text-slate-600" data-testid="dashboard-radius-totals">
        24 h: {totals.requests} requests, {totals.accepts} accepts, {totals.rejects} rejects, {totals.accounting} accounting,{' '}
        <span className={totals.secretMismatches ? 'font-semibold text-purple-700' : ''}>{totals.secretMismatches} secret mismatches</span>
      </p>
    </>
  );
}
