'use client';

import Link from 'next/link';
import { useState } from 'react';
import { BackLink } from '@/components/ui/back-link';
import { Spinner } from '@/components/ui/button';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { SearchIcon } from '@/components/ui/icons';
import { DefinitionList, PageHeader, Section } from '@/components/ui/page-header';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';

type AssignableNas = { id: number; name: string; ipAddress: string; type: string; assigned: boolean };

function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6" data-testid="reseller-not-found">
      <h1 className="text-lg font-semibold">Reseller not found</h1>
      <Link href="/resellers" className="mt-3 inline-block text-sm text-sky-700 hover:underline">
        ← Back to Resellers
      </Link>
    </div>
  );
}

export function ResellerDetail({ id }: { id: number | null }) {
  const reseller = api.resellers.get.useQuery({ id: id ?? 0 }, { enabled: id !== null, retry: false });
  const [filter, setFilter] = useState('');
  if (id === null || errorCode(reseller.error) === 'NOT_FOUND') return <NotFound />;
  if (reseller.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        Could not load the reseller: {errorMessage(reseller.error)}
      </p>
    );
  if (!reseller.data) return <p className="text-sm text-slate-500">Loading…</p>;

  const r = reseller.data;
  const q = filter.trim().toLowerCase();
  const shown = q ? r.nas.filter((n) => n.name.toLowerCase().includes(q) || n.ipAddress.includes(q)) : r.nas;
  const assignedCount = r.nas.filter((n) => n.assigned).length;

  return (
    <div data-testid="reseller-detail">
      <BackLink href="/resellers">Resellers</BackLink>
      <PageHeader title={r.name} subtitle={r.contactEmail || undefined} />
      <div className="space-y-4">
        <Section title="Details">
          <DefinitionList
            columns={2}
            items={[
              { label: 'Name', value: r.name },
              { label: 'Contact email', value: r.contactEmail || <span className="text-slate-400">—</span> },
              { label: 'Assigned NAS', value: `${assignedCount} of ${r.nas.length}`, testId: 'reseller-assigned-count' },
            ]}
          />
        </Section>

        <Section
          title="NAS assignments"
          actions={
            <div className="relative w-full sm:w-auto">
              <SearchIcon className="pointer-events-none absolute left-2 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" />
              <input
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                placeholder="Filter name or IP"
                aria-label="Filter NAS by name or IP"
                data-testid="assignment-filter"
                className="w-full rounded-md border border-slate-300 py-1 pl-8 pr-2 text-sm max-md:min-h-10 max-sm:text-base sm:w-56 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-100"
              />
            </div>
          }
        >
          <p className="mb-3 text-xs text-slate-500">
            The reseller&apos;s users see, edit, test and delete only the NAS ticked here. Changes apply immediately.
          </p>
          <Table testId="assignment-table" cards>
            <thead>
              <tr>
                <Th className="w-20">Assigned</Th>
                <Th>Name</Th>
                <Th>IP</Th>
                <Th>Type</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.length === 0 ? (
                <TableMessage colSpan={4}>{r.nas.length === 0 ? 'No NAS devices exist yet' : 'No NAS matches the filter'}</TableMessage>
              ) : (
                shown.map((n) => <AssignmentRow key={n.id} resellerId={r.id} nas={n} />)
              )}
            </tbody>
          </Table>
        </Section>
      </div>
    </div>
  );
}

/** One row, one mutation: toggling several NAS quickly shows progress on each, not just the last. */
function AssignmentRow({ resellerId, nas }: { resellerId: number; nas: AssignableNas }) {
  const utils = api.useUtils();
  // React state, set in the change handler itself: the mutation's own state arrives a tick later, and a
  // controlled checkbox would snap back in between.
  const [wanted, setWanted] = useState<boolean | null>(null);
  const set = api.resellers.setAssignment.useMutation({
    // Stay "pending" until the refetched list agrees, so the checkbox never flips back and forth.
    onSuccess: () =>
      Promise.all([
        utils.resellers.get.invalidate({ id: resellerId }),
        utils.resellers.list.invalidate(),
        utils.nas.get.invalidate({ id: nas.id }),
      ]),
    onSettled: () => setWanted(null),
  });
  const checked = wanted ?? nas.assigned;
  return (
    <Tr data-testid={`assignment-row-${nas.id}`}>
      <Td cell="actions">
        {/* The label is the touch target (40 px on phones), the box inside it stays its usual size. */}
        <label className="flex items-center gap-2 max-md:min-h-10 max-md:min-w-10">
          <input
            type="checkbox"
            checked={checked}
            disabled={set.isPending}
            onChange={(e) => {
              setWanted(e.target.checked);
              set.mutate({ resellerId, nasId: nas.id, assigned: e.target.checked });
            }}
            aria-label={`Assign ${nas.name}`}
            data-testid={`assign-nas-${nas.id}`}
            className="h-4 w-4 rounded border-slate-300 max-md:h-6 max-md:w-6"
          />
          {set.isPending && <Spinner className="h-3.5 w-3.5 text-slate-400" />}
        </label>
        {set.error && (
          <span role="alert" className="block text-xs text-red-600">
            {errorMessage(set.error)}
          </span>
        )}
      </Td>
      <Td cell="title" className="font-medium text-slate-900">
        {nas.name}
      </Td>
      <Td label="IP" className="font-mono text-xs">
        {nas.ipAddress}
      </Td>
      <Td label="Type">{nas.type}</Td>
    </Tr>
  );
}
