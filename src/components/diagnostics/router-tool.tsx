'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { FormError, SelectField, TextField } from '@/components/ui/field';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import { ZRouterDiagnosticInput } from '@/lib/schemas/diagnostics';
import { api, fieldErrorsFrom } from '@/trpc/react';

/** Ping / Traceroute run on the router through its API, so the path is the one subscribers take. */
export function RouterTool({ nasId }: { nasId: number }) {
  const [v, setV] = useState({ tool: 'ping', address: '', count: '4' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const run = api.nas.diagnostic.useMutation({ onError: (e) => setErrors(fieldErrorsFrom(e)) });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const r = ZRouterDiagnosticInput.safeParse({ id: nasId, ...v });
    if (!r.success) return setErrors(fieldErrorsOf(r.error));
    setErrors({});
    run.mutate(r.data);
  }
  const seconds = v.tool === 'ping' ? Number(v.count) || 4 : 1;

  return (
    <div className="space-y-3" data-testid="router-tool">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <SelectField label="Tool" name="tool" value={v.tool} onChange={(e) => setV({ ...v, tool: e.target.value })}>
          <option value="ping">Ping</option>
          <option value="traceroute">Traceroute</option>
        </SelectField>
        <TextField label="Address" name="address" value={v.address} error={errors.address} placeholder="8.8.8.8 or host name" onChange={(e) => setV({ ...v, address: e.target.value })} />
        {v.tool === 'ping' && (
          <TextField label="Count" name="count" inputMode="numeric" className="w-20" value={v.count} error={errors.count} onChange={(e) => setV({ ...v, count: e.target.value })} />
        )}
        <Button type="submit" variant="primary" disabled={run.isPending} data-testid="router-tool-run">
          {run.isPending ? <><Spinner /> Running (up to {seconds + 3} s)…</> : 'Run through router'}
        </Button>
      </form>
      {run.error && !Object.keys(errors).length && <FormError message={errorMessage(run.error)} />}
      {run.data && (
        <>
          <p className="text-sm" data-testid="router-tool-summary">{run.data.summary} <span className="text-xs text-slate-400">{run.data.ms} ms</span></p>
          <Table testId="router-tool-rows">
            <thead>
              <tr>
                <Th>{run.data.tool === 'ping' ? 'Seq' : 'Hop'}</Th>
                <Th>Host</Th>
                <Th>Time</Th>
                <Th>Status</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {run.data.rows.map((r) => (
                <Tr key={r.seq}>
                  <Td className="tabular-nums">{r.seq}</Td>
                  <Td className="font-mono text-xs">{r.host || '*'}</Td>
                  <Td>{r.time}</Td>
                  <Td><Badge tone={r.status === 'reply' ? 'green' : 'amber'}>{r.status}</Badge></Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </div>
  );
}
