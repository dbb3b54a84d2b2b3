'use client';

import { keepPreviousData } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PencilIcon, PlusIcon, TrashIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { SearchInput } from '@/components/ui/search-input';
import { PlanPushPanel } from '@/components/sessions/control-plan-push';
import { RowActions } from '@/components/ui/row-actions';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { formatRate } from '@/lib/rates';
import { api } from '@/trpc/react';
import { PlanDeleteDialog, PlanFormDialog } from './lazy-dialogs';
import type { PlanRow } from './plan-form-values';

const PAGE_SIZE = 200;
const COLUMNS = 9;
const none = <span className="text-slate-400">—</span>;
/** What a CoA can change on a live session: the rate attributes the plan sends (Mikrotik-Rate-Limit, Filter-Id, WISPr). */
const RATE_FIELDS = new Set([
  'downloadKbps',
  'uploadKbps',
  'burstDownloadKbps',
  'burstUploadKbps',
  'burstThresholdDownloadKbps',
  'burstThresholdUploadKbps',
  'burstTimeS',
  'filterId',
]);

export function PlansList() {
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search.trim(), 250);
  const list = api.plans.list.useQuery({ search: debounced, limit: PAGE_SIZE, offset: 0 }, { placeholderData: keepPreviousData });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<PlanRow | null>(null);
  const [deleting, setDeleting] = useState<PlanRow | null>(null);
  // A plan whose rates just changed: its online sessions may get them now (CoA), not only at their next login.
  const [pushFor, setPushFor] = useState<PlanRow | null>(null);

  return (
    <div>
      <PageHeader
        title="Services & Plans"
        subtitle="What a subscriber gets: rates, burst, the BNG's Filter-Id, a default NAS and pool, and which resellers may offer it."
        actions={
          <Button variant="primary" onClick={() => setAdding(true)} data-testid="plan-add-button">
            <PlusIcon /> Add plan
          </Button>
        }
      />
      {pushFor && (
        <div className="mb-3">
          <PlanPushPanel
            key={pushFor.id}
            target={{ planId: pushFor.id }}
            subject={`Plan ${pushFor.name}`}
            onClose={() => setPushFor(null)}
          />
        </div>
      )}
      <div className="mb-3 flex items-center gap-2">
        <SearchInput
          value={search}
          onChange={setSearch}
          placeholder="Search name or Filter-Id"
          label="Search plans by name or Filter-Id"
          testId="plan-search"
          className="w-full sm:w-auto"
        />
        {list.isFetching && <Spinner className="h-4 w-4 text-slate-400" />}
      </div>
      <Table testId="plans-table" cards>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Rates (down / up)</Th>
            <Th>Burst</Th>
            <Th>Filter-Id</Th>
            <Th>Default NAS</Th>
            <Th>Pool</Th>
            <Th>Resellers</Th>
            <Th className="text-right">Subscribers</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.error && !list.data ? (
            <TableMessage colSpan={COLUMNS}>
              <span className="text-red-600">Could not load plans: {errorMessage(list.error)}</span>
            </TableMessage>
          ) : !list.data ? (
            <TableMessage colSpan={COLUMNS}>Loading…</TableMessage>
          ) : list.data.items.length === 0 ? (
            <TableMessage colSpan={COLUMNS} testId="plans-empty">
              {debounced ? 'No plan matches the search.' : 'No plans yet: add one, then offer it to resellers.'}
            </TableMessage>
          ) : (
            list.data.items.map((p) => <PlanTableRow key={p.id} plan={p} onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} />)
          )}
        </tbody>
      </Table>
      {list.data && list.data.total > list.data.items.length && (
        <p className="mt-2 text-xs text-slate-500">
          Showing {list.data.items.length} of {list.data.total} plans: search to narrow the list.
        </p>
      )}
      {adding && <PlanFormDialog open onOpenChange={setAdding} />}
      {editing && (
        <PlanFormDialog
          open
          onOpenChange={(o) => !o && setEditing(null)}
          plan={editing}
          onUpdated={(fields) => fields.some((f) => RATE_FIELDS.has(f)) && setPushFor(editing)}
        />
      )}
      {deleting && <PlanDeleteDialog plan={deleting} onOpenChange={(o) => !o && setDeleting(null)} />}
    </div>
  );
}

function PlanTableRow({ plan: p, onEdit, onDelete }: { plan: PlanRow; onEdit: () => void; onDelete: () => void }) {
  return (
    <Tr data-testid={`plan-row-${p.id}`} data-plan-name={p.name}>
      <Td cell="title" className="font-medium text-slate-900">
        {p.name}
      </Td>
      <Td label="Rates (down / up)" className="whitespace-nowrap">
        <span data-testid="plan-rates">
          {formatRate(p.downloadKbps)} / {formatRate(p.uploadKbps)}
        </span>
      </Td>
      <Td label="Burst" className="whitespace-nowrap text-xs">
        {p.burstDownloadKbps !== null && p.burstUploadKbps !== null ? (
          <span
            title={`threshold ${formatRate(p.burstThresholdDownloadKbps ?? p.downloadKbps)} / ${formatRate(p.burstThresholdUploadKbps ?? p.uploadKbps)}, ${p.burstTimeS ?? 10} s`}
          >
            {formatRate(p.burstDownloadKbps)} / {formatRate(p.burstUploadKbps)}
          </span>
        ) : (
          none
        )}
      </Td>
      <Td label="Filter-Id" className="font-mono text-xs">
        {p.filterId || none}
      </Td>
      <Td label="Default NAS">
        {p.defaultNas ? (
          <Link href={`/nas/${p.defaultNas.id}`} className="hover:text-sky-700 hover:underline">
            {p.defaultNas.name}
          </Link>
        ) : (
          none
        )}
      </Td>
      <Td label="Pool" className="font-mono text-xs">
        {p.framedPool || none}
      </Td>
      <Td label="Resellers">
        {p.resellers.length ? (
          <div className="flex flex-wrap gap-1 max-md:justify-end">
            {p.resellers.map((r) => (
              <Badge key={r.id} tone="blue">
                {r.name}
              </Badge>
            ))}
          </div>
        ) : (
          <span className="text-xs text-slate-400">admins only</span>
        )}
      </Td>
      <Td label="Subscribers" className="text-right tabular-nums">
        <span data-testid="plan-subscribers">{p.subscriberCount}</span>
      </Td>
      <Td cell="actions">
        <div className="flex items-center justify-end gap-0.5">
          <RowActions
            name={p.name}
            testId={`plan-actions-${p.id}`}
            actions={[
              { label: 'Edit', ariaLabel: `Edit ${p.name}`, icon: <PencilIcon />, onSelect: onEdit, testId: 'plan-edit-button' },
              {
                label: 'Delete',
                ariaLabel: `Delete ${p.name}`,
                icon: <TrashIcon />,
                danger: true,
                onSelect: onDelete,
                testId: 'plan-delete-button',
              },
            ]}
          />
        </div>
      </Td>
    </Tr>
  );
}
