'use client';

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBps } from './format-rate';

export interface TorchPoint {
  at: number;
  rx: number;
  tx: number;
}

const clock = (at: number) => new Date(at).toLocaleTimeString('en-GB');

/** Total rx/tx of every refresh so far; no animation, the data moves every second anyway. */
export function TorchChart({ points }: { points: TorchPoint[] }) {
  if (points.length === 0) {
    return <p className="flex h-40 items-center justify-center text-sm text-slate-500">The chart starts with the first refresh.</p>;
  }
  return (
    <div className="h-40" data-testid="torch-chart-plot" data-points={points.length}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="at" type="number" domain={['dataMin', 'dataMax']} tickFormatter={clock} tick={{ fontSize: 11 }} minTickGap={40} />
          <YAxis tickFormatter={formatBps} tick={{ fontSize: 11 }} width={80} />
          <Tooltip labelFormatter={(at) => clock(Number(at))} formatter={(v) => formatBps(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area dataKey="tx" name="tx" stroke="#0284c7" fill="#0284c7" fillOpacity={0.15} isAnimationActive={false} dot={false} />
          <Area dataKey="rx" name="rx" stroke="#059669" fill="#059669" fillOpacity={0.15} isAnimationActive={false} dot={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
