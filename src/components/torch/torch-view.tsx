'use client';

import { skipToken } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { Section } from '@/components/ui/page-header';
import type { RouterOutputs } from '@/trpc/types';
import { api } from '@/trpc/react';
import { formatBps } from './format-rate';
import { TorchChart, type TorchPoint } from './torch-chart';
import { TorchFlowsTable } from './torch-flows-table';

type TorchEvent = RouterOutputs['torch']['session'] extends AsyncIterable<infer E> ? E : never;
type Started = Extract<TorchEvent, { type: 'started' }>;
export type TorchFrame = Extract<TorchEvent, { type: 'frame' }>;

export type TorchSource =
  { kind: 'session'; id: number } | { kind: 'interface'; id: number; interface: string; srcAddress?: string; dstAddress?: string };

/** The chart keeps the last five minutes: the longest a torch runs. */
const HISTORY_POINTS = 300;

type Phase = { state: 'connecting' } | { state: 'running' } | { state: 'stopped'; reason: string };

/**
 * Live Torch: per-flow rates from the router every second, over a tRPC subscription. Unmounting (leaving the
 * page) or Stop closes the stream, which ends the torch on the router.
 */
export function TorchView({ source }: { source: TorchSource }) {
  const [run, setRun] = useState(true);
  const [phase, setPhase] = useState<Phase>({ state: 'connecting' });
  const [started, setStarted] = useState<Started | null>(null);
  const [frame, setFrame] = useState<TorchFrame | null>(null);
  const [history, setHistory] = useState<TorchPoint[]>([]);

  const onData = useCallback((e: TorchEvent) => {
    if (e.type === 'started') {
      setStarted(e);
      setPhase({ state: 'running' });
    } else if (e.type === 'frame') {
      setFrame(e);
      setHistory((h) => [...h.slice(-(HISTORY_POINTS - 1)), { at: e.at, rx: e.rxBps, tx: e.txBps }]);
    } else {
      setPhase({ state: 'stopped', reason: e.reason });
      setRun(false);
    }
  }, []);
  const onError = useCallback((err: unknown) => {
    setPhase({ state: 'stopped', reason: errorMessage(err) });
    setRun(false);
  }, []);

  api.torch.session.useSubscription(run && source.kind === 'session' ? { id: source.id } : skipToken, { onData, onError });
  api.torch.interface.useSubscription(
    run && source.kind === 'interface'
      ? { id: source.id, interface: source.interface, srcAddress: source.srcAddress, dstAddress: source.dstAddress }
      : skipToken,
    { onData, onError },
  );

  const stop = () => {
    setRun(false);
    setPhase({ state: 'stopped', reason: 'Stopped by you.' });
  };
  const start = () => {
    setStarted(null);
    setFrame(null);
    setHistory([]);
    setPhase({ state: 'connecting' });
    setRun(true);
  };

  const directions =
    source.kind === 'session'
      ? 'tx: sent to the subscriber (download) · rx: received from the subscriber (upload)'
      : `rx: received on ${started?.interface ?? 'the interface'} · tx: sent out of it`;

  return (
    <div className="space-y-4" data-testid="torch-view" data-state={phase.state}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <TorchState phase={phase} started={started} />
        {phase.state === 'stopped' ? (
          <Button variant="primary" onClick={start} data-testid="torch-start">
            Start again
          </Button>
        ) : (
          <Button variant="danger" onClick={stop} data-testid="torch-stop">
            Stop
          </Button>
        )}
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Section title="Total now" testId="torch-totals">
          <dl className="space-y-1 text-sm">
            <TotalRow label="tx" testId="torch-total-tx" strong value={frame ? formatBps(frame.txBps) : null} />
            <TotalRow label="rx" testId="torch-total-rx" strong value={frame ? formatBps(frame.rxBps) : null} />
            <TotalRow label="flows" testId="torch-flow-count" value={frame ? frame.flowCount.toLocaleString('en') : null} />
          </dl>
          <p className="mt-3 text-xs text-slate-500">{directions}</p>
        </Section>
        <div className="lg:col-span-2">
          <Section title="Rate, last minutes" testId="torch-chart">
            <TorchChart points={history} />
          </Section>
        </div>
      </div>

      <TorchFlowsTable frame={frame} />
    </div>
  );
}

function TorchState({ phase, started }: { phase: Phase; started: Started | null }) {
  if (phase.state === 'connecting') {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-600" data-testid="torch-state">
        <Spinner /> Connecting to the router…
      </p>
    );
  }
  if (phase.state === 'stopped') {
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm" role="status" data-testid="torch-state">
        <Badge tone="grey">stopped</Badge>
        <span data-testid="torch-stop-reason">{phase.reason}</span>
      </p>
    );
  }
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="torch-state">
      <Badge tone="green">running</Badge>
      {started && (
        <span className="text-slate-600">
          <span className="font-mono text-xs">{started.interface}</span> on {started.nasName}
          {started.filter && <>, {started.filter}</>} · stops by itself at {new Date(started.endsAt).toLocaleTimeString('en-GB')}
        </span>
      )}
    </p>
  );
}

/** One line of the "Total now" card: a label and its figure, or a dash before the first refresh. */
function TotalRow({ label, value, testId, strong = false }: { label: string; value: string | null; testId: string; strong?: boolean }) {
  return (
    <div className="flex justify-between gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className={`tabular-nums ${strong ? 'font-semibold' : ''}`} data-testid={testId}>
        {value ?? '—'}
      </dd>
    </div>
  );
}
