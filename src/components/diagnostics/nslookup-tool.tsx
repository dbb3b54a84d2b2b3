'use client';

import type { z } from 'zod';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { Form, FormStrayErrors, formFields, setServerErrors, useSchemaForm } from '@/components/ui/form';
import { schemaResolver } from '@/components/ui/schema-resolver';
import { ZNsLookupInput, type NsLookupInput } from '@/lib/schemas/nslookup';
import type { RouterOutputs } from '@/trpc/types';
import { api } from '@/trpc/react';

type Answer = RouterOutputs['diagnostics']['nslookup']['router'];
type NsLookupFormInput = Omit<z.input<typeof ZNsLookupInput>, 'id'>;

const { TextField } = formFields<NsLookupFormInput>();

const TONES: Record<Answer['status'], BadgeTone> = {
  answer: 'green',
  nxdomain: 'amber',
  unsupported: 'grey',
  unavailable: 'grey',
  error: 'red',
};

/** A name looked up by the router (what its subscribers' DNS path sees) beside the panel's own lookup. */
export function NsLookupTool({ nasId }: { nasId: number }) {
  const form = useSchemaForm<NsLookupFormInput, NsLookupInput>({
    resolver: schemaResolver(ZNsLookupInput, (v: NsLookupFormInput) => ({ ...v, id: nasId })),
    defaultValues: { name: '' },
  });
  const run = api.diagnostics.nslookup.useMutation({ onError: (e) => setServerErrors(form, e) });
  return (
    <div className="space-y-3" data-testid="nslookup-tool">
      <Form form={form} onSubmit={(v) => run.mutate(v)} className="space-y-3">
        <div className="grid grid-cols-1 gap-3 sm:flex sm:flex-wrap sm:items-end">
          <TextField name="name" label="Name" placeholder="example.com" />
          <Button type="submit" variant="primary" disabled={run.isPending} data-testid="nslookup-run">
            {run.isPending ? (
              <>
                <Spinner /> Looking up (up to 13 s)…
              </>
            ) : (
              'Look up'
            )}
          </Button>
        </div>
        <FormStrayErrors />
      </Form>
      {run.data && (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
          <AnswerCard title="Through the router" answer={run.data.router} testId="nslookup-router" />
          <AnswerCard title="From the panel" answer={run.data.panel} testId="nslookup-panel" />
        </div>
      )}
    </div>
  );
}

function AnswerCard({ title, answer, testId }: { title: string; answer: Answer; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 p-3" data-testid={testId} data-status={answer.status}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-semibold text-slate-800">{title}</span>
        <span className="flex items-center gap-2 text-xs text-slate-400">
          {answer.method && <code>{answer.method}</code>}
          {answer.ms} ms
          <Badge tone={TONES[answer.status]}>{answer.status === 'nxdomain' ? 'NXDOMAIN' : answer.status}</Badge>
        </span>
      </div>
      {answer.records.length > 0 && (
        <ul className="space-y-0.5 font-mono text-xs wrap-anywhere">
          {answer.records.map((r, i) => (
            <li key={i}>
              <span className="inline-block w-14 text-slate-500">{r.type}</span>
              {r.data}
              {r.ttl && <span className="ml-2 text-slate-400">ttl {r.ttl}</span>}
            </li>
          ))}
        </ul>
      )}
      {answer.message && <p className="mt-1 text-xs text-slate-600">{answer.message}</p>}
    </div>
  );
}
