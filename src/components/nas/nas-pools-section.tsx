'use client';

import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { SyncIcon } from '@/components/ui/icons';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import { importInProgress, PoolImportBadge } from './pool-import-badge';

/** Per-pool totals and the import state, refreshed every second while an import is queued or running. */
export function NasPoolsSection({ nasId, hasApi }: { nasId: number; hasApi: boolean }) {
  const can = useCan();
  const utils = api.useUtils();
  const pools = api.nas.pools.useQuery(
    { id: nasId },
    { refetchInterval: (q) => (q.state.data && importInProgress(q.state.data.import.state) ? 1000 : 15_000) },
  );
  const sync = api.nas.importPools.useMutation({
    onSuccess: (data) => {
      utils.nas.pools.setData({ id: nasId }, data);
      void utils.nas.list.invalidate();
    },
  });
  const imp = pools.data?.import;

  return (
    <div data-testid="nas-pools" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {imp && <PoolImportBadge state={imp.state} error={imp.error} />}
        {imp?.state === 'done' && imp.finishedAt && (
          <span className="text-xs text-slate-500">
            finished <RelativeTime iso={imp.finishedAt} />
            {imp.lastResult &&
              ` · ${imp.lastResult.addresses} addresses, ${imp.lastResult.added} added, ${imp.lastResult.removed} removed, ${imp.lastResult.pppActive} active sessions`}
          </span>
        )}
        {imp?.state === 'none' && (
          <span className="text-slate-500">
            {hasApi ? 'Pools not imported yet.' : 'Pools are imported through the MikroTik API: add API credentials first.'}
          </span>
        )}
        {can('nas.edit') && hasApi && (
          <Button
            className="ml-auto"
            onClick={() => sync.mutate({ id: nasId })}
            disabled={sync.isPending || (imp ? importInProgress(imp.state) : false)}
            data-testid="nas-sync-pools"
          >
            {sync.isPending ? <Spinner /> : <SyncIcon />} Sync pools
          </Button>
        )}
      </div>
      {imp?.state === 'failed' && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="pool-import-error">
          {imp.error}
        </p>
      )}
      {imp?.state === 'retrying' && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="pool-import-retry">
          Attempt {imp.attempts} failed: {imp.error}. Next try <RelativeTime iso={imp.nextAttemptAt} />; the import also starts again as
          soon as the heartbeat hears the router.
        </p>
      )}
      {sync.error && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(sync.error)}
        </p>
      )}
      {pools.data && pools.data.pools.length > 0 && (
        <Table testId="pool-summary">
          <thead>
            <tr>
              <Th>Pool</Th>
              <Th className="text-right">Total</Th>
              <Th className="text-right">In use</Th>
              <Th className="text-right">Available</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {pools.data.pools.map((p) => (
              <Tr key={p.name} data-testid={`pool-${p.name}`}>
                <Td className="font-mono text-xs">{p.name}</Td>
                <Td className="text-right tabular-nums">
                  <span data-testid="pool-total">{p.total}</span>
                </Td>
                <Td className="text-right tabular-nums">
                  <span data-testid="pool-in-use">{p.inUse}</span>
                </Td>
                <Td className="text-right tabular-nums">
                  <span data-testid="pool-available">{p.available}</span>
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
