'use client';

import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import type { PlanPushTarget } from '@/lib/schemas/session-control';
import { api } from '@/trpc/react';

/** How often the page asks for the push's progress while it runs. */
const POLL_MS = 1000;

/**
 * "Apply to the N online sessions now" after a plan change: online sessions keep the rate they logged in with
 * until they reconnect, unless a CoA tells their NAS the new one. The push runs in the background; this polls it.
 */
export function PlanPushPanel({ target, subject, onClose }: { target: PlanPushTarget; subject: string; onClose: () => void }) {
  const can = useCan();
  const [pushId, setPushId] = useState<number | null>(null);
  const allowed = can('sessions.disconnect');
  const count = api.sessionControl.planPushCount.useQuery(target, { enabled: allowed && pushId === null, staleTime: 0 });
  const start = api.sessionControl.startPlanPush.useMutation({ onSuccess: (p) => setPushId(p.id) });
  if (!allowed) return null;

  return (
    <div className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-slate-700" data-testid="plan-push">
      {pushId !== null ? (
        <PlanPushProgress id={pushId} onClose={onClose} />
      ) : count.error ? (
        <Row onClose={onClose}>
          <span className="text-red-600">Could not count the online sessions: {errorMessage(count.error)}</span>
        </Row>
      ) : !count.data ? (
        <Row onClose={onClose}>
          <Spinner /> Counting the online sessions of {subject}…
        </Row>
      ) : count.data.sessions === 0 ? (
        <Row onClose={onClose}>
          <span data-testid="plan-push-none">No session of {subject} is online: the next login gets the new plan.</span>
        </Row>
      ) : (
        <Row onClose={onClose} closeLabel="Not now">
          <span>
            {subject} changed. Its {count.data.sessions} online session{count.data.sessions === 1 ? '' : 's'} keep the old rate until they
            reconnect.
          </span>
          <Button variant="primary" disabled={start.isPending} onClick={() => start.mutate(target)} data-testid="plan-push-apply">
            {start.isPending && <Spinner />}
            Apply to the {count.data.sessions} online session{count.data.sessions === 1 ? '' : 's'} now
          </Button>
          {start.error && <span className="text-red-600">{errorMessage(start.error)}</span>}
        </Row>
      )}
    </div>
  );
}

function PlanPushProgress({ id, onClose }: { id: number; onClose: () => void }) {
  const push = api.sessionControl.planPush.useQuery(
    { id },
    { refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.state) ? false : POLL_MS) },
  );
  const p = push.data;
  if (!p) {
    return <Row onClose={onClose}>{push.error ? <span className="text-red-600">{errorMessage(push.error)}</span> : <Spinner />}</Row>;
  }
  const finished = p.state === 'done' || p.state === 'failed';
  const percent = p.total ? Math.round((p.done / p.total) * 100) : 100;
  return (
    <div className="space-y-2" data-testid="plan-push-progress" data-state={p.state}>
      <Row onClose={onClose} closeLabel={finished ? 'Close' : 'Hide (it keeps running)'}>
        {!finished && <Spinner />}
        <span data-testid="plan-push-counts">
          {p.state === 'queued' ? 'Queued: ' : finished ? 'Done: ' : 'Applying: '}
          {p.done} of {p.total} sessions — {p.ok} changed, {p.failed} failed
          {p.skipped > 0 && `, ${p.skipped} ended before their turn`}
        </span>
      </Row>
      <div
        className="h-1.5 overflow-hidden rounded bg-sky-100"
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
      {p.error && <p className="text-red-600">{p.error}</p>}
      {p.failures.length > 0 && (
        <ul className="max-h-48 space-y-1 overflow-y-auto text-xs" data-testid="plan-push-failures">
          {p.failures.map((f) => (
            <li key={f.sessionId}>
              <span className="font-medium">{f.username ?? `session ${f.sessionId}`}</span>
              {f.nasName && <span className="text-slate-500"> on {f.nasName}</span>}: {f.message}
            </li>
          ))}
          {p.failed > p.failures.length && <li className="text-slate-500">…and {p.failed - p.failures.length} more.</li>}
        </ul>
      )}
    </div>
  );
}

function Row({ children, onClose, closeLabel = 'Dismiss' }: { children: React.ReactNode; onClose: () => void; closeLabel?: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      {children}
      <Button size="sm" variant="ghost" className="ml-auto" onClick={onClose} data-testid="plan-push-close">
        {closeLabel}
      </Button>
    </div>
  );
}
