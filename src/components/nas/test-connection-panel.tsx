'use client';

import { useEffect, useRef } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { BoltIcon } from '@/components/ui/icons';
import type { TestConnectionInput } from '@/lib/schemas/nas';
import { api } from '@/trpc/react';

type Check = { status: 'ok' | 'warning' | 'failed' | 'skipped'; summary: string; details: string[]; ms: number };

const TONE: Record<Check['status'], BadgeTone> = { ok: 'green', warning: 'amber', failed: 'red', skipped: 'grey' };
const LABEL: Record<Check['status'], string> = { ok: 'ok', warning: 'unverified', failed: 'failed', skipped: 'skipped' };
const CHECKS = [
  { key: 'radius', title: 'RADIUS' },
  { key: 'api', title: 'MikroTik API' },
  { key: 'coa', title: 'CoA' },
] as const;

/**
 * Runs the three checks on demand and shows each as it is reported. The server answers within about 3.5 s,
 * so one request with a visible "testing" state is enough progress.
 */
export function TestConnectionPanel({ input, autoRun = false }: { input: () => TestConnectionInput | null; autoRun?: boolean }) {
  const test = api.nas.testConnection.useMutation();
  const run = () => {
    const i = input();
    if (i) test.mutate(i);
  };
  const ran = useRef(false);
  useEffect(() => {
    if (autoRun && !ran.current) {
      ran.current = true;
      run();
    }
    // Run once when opened; later runs are the user's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div data-testid="test-connection" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={run} disabled={test.isPending} data-testid="test-connection-run">
          {test.isPending ? <Spinner /> : <BoltIcon />} {test.isPending ? 'Testing…' : test.data ? 'Test again' : 'Test connection'}
        </Button>
        {test.data && (
          <Badge tone={test.data.ready ? 'green' : 'amber'} data-testid="test-connection-verdict">
            {test.data.ready ? 'ready: all checks green' : 'not ready'}
          </Badge>
        )}
      </div>
      {test.error && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(test.error)}
        </p>
      )}
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {CHECKS.map(({ key, title }) => {
          const c: Check | undefined = test.data?.[key];
          return (
            <li
              key={key}
              className="flex flex-wrap gap-x-3 gap-y-1 px-3 py-2 text-sm sm:flex-nowrap"
              data-testid={`check-${key}`}
              data-status={test.isPending ? 'running' : (c?.status ?? 'idle')}
            >
              <span className="w-28 shrink-0 font-medium">{title}</span>
              <span className="w-24 shrink-0">
                {test.isPending ? (
                  <span className="inline-flex items-center gap-1 text-slate-500">
                    <Spinner /> testing
                  </span>
                ) : c ? (
                  <Badge tone={TONE[c.status]}>{LABEL[c.status]}</Badge>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </span>
              {/* On a phone the check's name and verdict share a line and the explanation gets the full width. */}
              <span className="min-w-0 flex-1 break-words max-sm:basis-full">
                {c && !test.isPending && (
                  <>
                    <span data-testid={`check-${key}-summary`}>{c.summary}</span>
                    {c.ms > 0 && <span className="ml-1 text-xs text-slate-400">{c.ms} ms</span>}
                    {c.details.length > 0 && (
                      <ul className="mt-0.5 list-disc pl-4 text-xs text-slate-500">
                        {c.details.map((d, i) => (
                          <li key={i}>{d}</li>
                        ))}
                      </ul>
                    )}
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
