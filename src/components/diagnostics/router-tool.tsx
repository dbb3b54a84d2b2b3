'use client';

import { useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { Badge } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { schemaResolver } from '@/components/ui/schema-resolver';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { ZRouterDiagnosticInput, type RouterDiagnosticInput } from '@/lib/schemas/diagnostics';
import { api } from '@/trpc/react';

type RouterToolInput = Omit<z.input<typeof ZRouterDiagnosticInput>, 'id'>;

const { TextField, SelectField } = formFields<RouterToolInput>();

/** Ping / Traceroute run on the router through its API, so the path is the one subscribers take. */
export function RouterTool({ nasId }: { nasId: number }) {
  const form = useSchemaForm<RouterToolInput, RouterDiagnosticInput>({
    resolver: schemaResolver(ZRouterDiagnosticInput, (v: RouterToolInput) => ({ ...v, id: nasId })),
    defaultValues: { tool: 'ping', address: '', count: '4' },
  });
  const run = api.nas.diagnostic.useMutation({ onError: (e) => setServerErrors(form, e) });
  const [tool, count] = useWatch({ control: form.control, name: ['tool', 'count'] });
  const seconds = tool === 'ping' ? Number(count) || 4 : 1;

  return (
    <div className="space-y-3" data-testid="router-tool">
      <Form form={form} onSubmit={(v) => run.mutate(v)} className="space-y-3">
        {/* Stacked on a phone: one full-width field per line, the Run button last. */}
        <div className="grid grid-cols-1 gap-3 sm:flex sm:flex-wrap sm:items-end">
          <SelectField name="tool" label="Tool">
            <option value="ping">Ping</option>
            <option value="traceroute">Traceroute</option>
          </SelectField>
          <TextField name="address" label="Address" placeholder="8.8.8.8 or host name" />
          {tool === 'ping' && <TextField name="count" label="Count" inputMode="numeric" className="sm:w-20" />}
          <Button type="submit" variant="primary" disabled={run.isPending} data-testid="router-tool-run">
            {run.isPending ? (
              <>
                <Spinner /> Running (up to {seconds + 3} s)…
              </>
            ) : (
              'Run through router'
            )}
          </Button>
        </div>
        <FormStrayErrors />
      </Form>
      {run.data && (
        <>
          <p className="text-sm wrap-anywhere" data-testid="router-tool-summary">
            {run.data.summary} <span className="text-xs text-slate-400">{run.data.ms} ms</span>
          </p>
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
                  <Td>
                    <Badge tone={r.status === 'reply' ? 'green' : 'amber'}>{r.status}</Badge>
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </div>
  );
}
