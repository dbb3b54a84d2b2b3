'use client';

import { keepPreviousData } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useActor, useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PencilIcon, PlusIcon, TrashIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { SearchInput } from '@/components/ui/search-input';
import { RelativeTime } from '@/components/ui/relative-time';
import { RowActions } from '@/components/ui/row-actions';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import type { ListSubscribersInput } from '@/lib/schemas/subscribers';
import { api } from '@/trpc/react';
import { SubscriberExportButton } from './export-button';
import { SubscriberImportButton } from './import-button';
import { SubscriberDeleteDialog, SubscriberFormDialog } from './lazy-dialogs';
import { NasNotAssignedBadge, SubscriberStatus } from './subscriber-status';
import type { SubscriberListItem } from './types';

const PAGE_SIZE = 50;
const ONLINE: { value: ListSubscribersInput['online']; label: string }[] = [
  { value: 'all', label: 'Online and offline' },
  { value: 'online', label: 'Online now' },
  { value: 'offline', label: 'Offline' },
];
const selectClass =
  'w-full min-w-0 rounded-md border border-slate-300 bg-white py-1.5 pl-2 pr-8 text-sm max-md:min-h-10 max-sm:text-base sm:w-auto focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-100';

/** The NAS and plan filters preselected from `/subscribers?nas_id=X&plan_id=Y` (the NAS page's Total Users link). */
export function SubscriberList({ initialNasId, initialPlanId = null }: { initialNasId: number | null; initialPlanId?: number | null }) {
  const can = useCan();
  const actor = useActor();
  const seesAll = can('nas.all');
  const [search, setSearch] = useState('');
  const [nasId, setNasId] = useState<number | null>(initialNasId);
  const [planId, setPlanId] = useState<number | null>(initialPlanId);
  const [online, setOnline] = useState<ListSubscribersInput['online']>('all');
  // Keyset paging: the cursors of the pages before this one, so Previous walks back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [adding, setAdding] = useState(false);
  const debouncedSearch = useDebouncedValue(search.trim(), 250);
  const after = cursors[cursors.length - 1];
  const resetPaging = () => setCursors([null]);

  const options = api.subscribers.formOptions.useQuery(undefined, { staleTime: 60_000 });
  const list = api.subscribers.list.useQuery(
    { search: debouncedSearch, nasId, planId, online, limit: PAGE_SIZE, after },
    // Old rows stay on screen while the next page loads; online status refreshes on its own.
    { placeholderData: keepPreviousData, refetchInterval: 30_000 },
  );
  const filtered = debouncedSearch !== '' || nasId !== null || planId !== null || online !== 'all';
  const columns = seesAll ? 8 : 7;

  return (
    <div>
      <PageHeader
        title="Subscribers"
        subtitle="PPPoE / hotspot accounts the RADIUS service authenticates, with their NAS, plan and live session."
        actions={
          <>
            <SubscriberExportButton nasId={nasId} />
            {can('subscribers.create') && <SubscriberImportButton />}
            {can('subscribers.create') && (
              <Button variant="primary" onClick={() => setAdding(true)} data-testid="subscriber-add-button">
                <PlusIcon /> Add subscriber
              </Button>
            )}
          </>
        }
      />

      {/* Search and filters stack on a phone, one full-width control per line. */}
      <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput
          value={search}
          onChange={(value) => {
            setSearch(value);
            resetPaging();
          }}
          placeholder="Username, IP or MAC"
          label="Search subscribers by username, IP or MAC"
          testId="subscriber-search"
          width="sm:w-72"
        />
        <select
          value={nasId ?? ''}
          onChange={(e) => {
            setNasId(e.target.value ? Number(e.target.value) : null);
            resetPaging();
          }}
          aria-label="Filter by NAS"
          data-testid="subscriber-nas-filter"
          className={selectClass}
        >
          <option value="">All NAS</option>
          {/* A preselected NAS not in the options (out of scope) still shows as chosen: the list is empty then. */}
          {nasId !== null && options.data && !options.data.nas.some((n) => n.id === nasId) && <option value={nasId}>NAS #{nasId}</option>}
          {options.data?.nas.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.ipAddress})
            </option>
          ))}
        </select>
        <select
          value={planId ?? ''}
          onChange={(e) => {
            setPlanId(e.target.value ? Number(e.target.value) : null);
            resetPaging();
          }}
          aria-label="Filter by plan"
          data-testid="subscriber-plan-filter"
          className={selectClass}
        >
          <option value="">All plans</option>
          {planId !== null && options.data && !options.data.plans.some((p) => p.id === planId) && (
            <option value={planId}>Plan #{planId}</option>
          )}
          {options.data?.plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <select
          value={online}
          onChange={(e) => {
            setOnline(e.target.value as ListSubscribersInput['online']);
            resetPaging();
          }}
          aria-label="Filter by online status"
          data-testid="subscriber-online-filter"
          className={selectClass}
        >
          {ONLINE.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {list.isFetching && <Spinner className="h-4 w-4 text-slate-400" />}
      </div>

      <Table testId="subscriber-table" cards>
        <thead>
          <tr>
            <Th>Username</Th>
            <Th>NAS</Th>
            <Th>Plan</Th>
            <Th>Status</Th>
            <Th>Last session</Th>
            {seesAll && <Th>Reseller</Th>}
            <Th>Static IP</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.error && !list.data ? (
            <TableMessage colSpan={columns} testId="subscriber-list-error">
              <span className="text-red-600">Could not load subscribers: {errorMessage(list.error)}</span>
            </TableMessage>
          ) : !list.data ? (
            <TableMessage colSpan={columns}>Loading…</TableMessage>
          ) : list.data.items.length === 0 ? (
            <TableMessage colSpan={columns} testId="subscriber-empty">
              {filtered
                ? 'No subscribers match the search or filters.'
                : actor?.resellerId != null || !seesAll
                  ? 'Your reseller has no subscribers yet'
                  : 'No subscribers yet'}
            </TableMessage>
          ) : (
            list.data.items.map((s) => <SubscriberRow key={s.id} sub={s} showReseller={seesAll} />)
          )}
        </tbody>
      </Table>

      {list.data && (list.data.total > 0 || cursors.length > 1) && (
        <div className="mt-2 flex items-center justify-between text-xs text-slate-500" data-testid="subscriber-pager">
          <span data-testid="subscriber-total">
            {(() => {
              const first = (cursors.length - 1) * PAGE_SIZE;
              const shown = list.data.items.length;
              const of = `${list.data.total.toLocaleString('en')}${list.data.totalCapped ? '+' : ''}`;
              return shown === 0 ? `0 of ${of}` : `${first + 1}–${first + shown} of ${of}`;
            })()}
          </span>
          <div className="flex gap-2">
            <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous
            </Button>
            <Button disabled={!list.data.nextCursor} onClick={() => setCursors([...cursors, list.data!.nextCursor])}>
              Next
            </Button>
          </div>
        </div>
      )}

      {adding && <SubscriberFormDialog open onOpenChange={setAdding} initialNasId={nasId} />}
    </div>
  );
}

function SubscriberRow({ sub, showReseller }: { sub: SubscriberListItem; showReseller: boolean }) {
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const muted = <span className="text-slate-400">—</span>;
  return (
    <Tr data-testid={`subscriber-row-${sub.id}`} data-username={sub.username}>
      <Td cell="title">
        <Link
          href={`/subscribers/${sub.id}`}
          className="font-medium text-slate-900 hover:text-sky-700 hover:underline"
          data-testid="subscriber-link"
        >
          {sub.username}
        </Link>
      </Td>
      <Td label="NAS">
        {sub.nas ? (
          <span className="inline-flex flex-col gap-0.5">
            <span data-testid="subscriber-nas">{sub.nas.name}</span>
            {sub.nasNotAssigned && <NasNotAssignedBadge />}
          </span>
        ) : (
          muted
        )}
      </Td>
      <Td label="Plan">{sub.plan ? <span data-testid="subscriber-plan">{sub.plan.name}</span> : muted}</Td>
      <Td label="Status">
        <SubscriberStatus sub={sub} />
      </Td>
      <Td label="Last session" className="whitespace-nowrap text-xs">
        <RelativeTime iso={sub.lastSessionAt} never="never" />
      </Td>
      {showReseller && <Td label="Reseller">{sub.reseller ? sub.reseller.name : muted}</Td>}
      <Td label="Static IP" className="whitespace-nowrap font-mono text-xs">
        {sub.staticIp ?? muted}
      </Td>
      <Td cell="actions">
        <div className="flex items-center justify-end gap-0.5">
          <RowActions
            name={sub.username}
            testId={`subscriber-actions-${sub.id}`}
            actions={[
              ...(can('subscribers.edit')
                ? [
                    {
                      label: 'Edit',
                      ariaLabel: `Edit ${sub.username}`,
                      icon: <PencilIcon />,
                      onSelect: () => setEditing(true),
                      testId: 'subscriber-edit-button',
                    },
                  ]
                : []),
              ...(can('subscribers.delete')
                ? [
                    {
                      label: 'Delete',
                      ariaLabel: `Delete ${sub.username}`,
                      icon: <TrashIcon />,
                      danger: true,
                      onSelect: () => setDeleting(true),
                      testId: 'subscriber-delete-button',
                    },
                  ]
                : []),
            ]}
          />
        </div>
        {editing && <SubscriberFormDialog open onOpenChange={setEditing} subscriberId={sub.id} />}
        {deleting && <SubscriberDeleteDialog open onOpenChange={setDeleting} subscriber={sub} />}
      </Td>
    </Tr>
  );
}
