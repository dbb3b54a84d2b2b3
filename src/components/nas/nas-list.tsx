'use client';

import { keepPreviousData } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useActor, useCan } from '@/components/actor-context';
import { ActiveSessionsLink } from '@/components/sessions/active-sessions-link';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PlusIcon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { SearchInput } from '@/components/ui/search-input';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import type { ListNasInput } from '@/lib/schemas/nas';
import { displayShortName } from '@/lib/nas-display';
import type { NasListItem } from '@/trpc/types';
import { api } from '@/trpc/react';
import { ApiBadge, NasStatus, SecretBadge } from './nas-badges';
import { NasFormDialog } from './lazy-dialogs';
import { NasRowActions } from './nas-row-actions';
import { TotalUsersLink } from './total-users-link';
import { UnknownDevices } from './unknown-devices';
import { importInProgress, PoolImportBadge } from './pool-import-badge';

const PAGE_SIZE = 50;
const COLUMNS = 10;
const STATUSES: { value: ListNasInput['status']; label: string }[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'online', label: 'Online' },
  { value: 'offline', label: 'Offline' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];

export function NasList() {
  const can = useCan();
  const actor = useActor();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListNasInput['status']>('all');
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const debouncedSearch = useDebouncedValue(search.trim(), 250);

  const list = api.nas.list.useQuery(
    { search: debouncedSearch, status, limit: PAGE_SIZE, offset },
    {
      // Keep the old rows on screen while the next page or filter loads, instead of flashing "Loading".
      placeholderData: keepPreviousData,
      // Follow pool imports closely while one runs; otherwise keep status and sessions fresh.
      refetchInterval: (q) => (q.state.data?.items.some((n) => importInProgress(n.poolImportState)) ? 1000 : 30_000),
    },
  );
  const filtered = debouncedSearch !== '' || status !== 'all';
  const total = list.data?.total ?? 0;
  const pageEmptied = list.data !== undefined && list.data.items.length === 0 && offset > 0;

  // Deleting the last row of the last page leaves an empty page: step back instead of showing "no devices".
  // Adjusted while rendering (React's pattern for state that follows data); each step only moves back.
  if (pageEmptied) setOffset(Math.max(0, Math.min(offset - PAGE_SIZE, Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE)));

  return (
    <div>
      <PageHeader
        title="NAS / Routers"
        subtitle="Devices that send RADIUS requests for PPPoE, hotspot and IPoE sessions."
        actions={
          can('nas.create') && (
            <Button variant="primary" onClick={() => setAdding(true)} data-testid="nas-add-button">
              <PlusIcon /> Add NAS
            </Button>
          )
        }
      />

      <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput
          value={search}
          onChange={(value) => {
            setSearch(value);
            setOffset(0);
          }}
          placeholder="Search name or IP"
          label="Search NAS by name or IP"
          testId="nas-search"
        />
        <select
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as ListNasInput['status']);
            setOffset(0);
          }}
          aria-label="Filter by status"
          data-testid="nas-status-filter"
          className="w-full min-w-0 rounded-md border border-slate-300 bg-white py-1.5 pl-2 pr-8 text-sm max-md:min-h-10 sm:w-auto max-sm:text-base focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-100"
        >
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {list.isFetching && <Spinner className="h-4 w-4 text-slate-400" />}
      </div>

      <Table testId="nas-table" cards>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>IP</Th>
            <Th>Type</Th>
            <Th>Status</Th>
            {/* Two-line headers for the counts: the actions column then fits beside the sidebar at 1280 px. */}
            <Th className="whitespace-normal! text-right">Active sessions</Th>
            <Th className="whitespace-normal! text-right">Total users</Th>
            <Th>Secret</Th>
            <Th>API</Th>
            <Th>Version</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.error && !list.data ? (
            <TableMessage colSpan={COLUMNS} testId="nas-list-error">
              <span className="text-red-600">Could not load NAS devices: {errorMessage(list.error)}</span>
            </TableMessage>
          ) : !list.data ? (
            <TableMessage colSpan={COLUMNS}>Loading…</TableMessage>
          ) : list.data.items.length === 0 ? (
            <TableMessage colSpan={COLUMNS} testId="nas-empty">
              {filtered
                ? 'No NAS devices match the search or filter.'
                : actor?.resellerId != null
                  ? 'No NAS devices are assigned to your reseller'
                  : 'No NAS devices yet'}
            </TableMessage>
          ) : (
            list.data.items.map((n) => <NasRow key={n.id} nas={n} />)
          )}
        </tbody>
      </Table>

      {list.data && total > 0 && <Pager offset={offset} shown={list.data.items.length} total={total} onOffset={setOffset} />}

      {adding && <NasFormDialog open onOpenChange={setAdding} />}
      <UnknownDevices />
    </div>
  );
}

function NasRow({ nas }: { nas: NasListItem }) {
  const short = displayShortName(nas);
  return (
    <Tr data-testid={`nas-row-${nas.id}`} data-nas-name={nas.name}>
      <Td cell="title">
        <Link href={`/nas/${nas.id}`} className="font-medium text-slate-900 hover:text-sky-700 hover:underline" data-testid="nas-name-link">
          {nas.name}
        </Link>
        {short !== nas.name && (
          <div className="text-xs text-slate-500" data-testid="nas-short-name">
            {short}
          </div>
        )}
      </Td>
      <Td label="IP" className="whitespace-nowrap font-mono text-xs">
        {nas.ipAddress}
      </Td>
      <Td label="Type">{nas.type}</Td>
      <Td label="Status">
        <NasStatus isOnline={nas.isOnline} isActive={nas.isActive} lastSeen={nas.lastSeen} />
        <div className="mt-0.5">
          <PoolImportBadge state={nas.poolImportState} error={nas.poolImportError} />
        </div>
      </Td>
      <Td label="Active sessions" className="text-right tabular-nums">
        <ActiveSessionsLink nasId={nas.id} count={nas.activeSessions} />
      </Td>
      <Td label="Total users" className="text-right tabular-nums">
        <TotalUsersLink nasId={nas.id} count={nas.totalUsers} />
      </Td>
      <Td label="Secret">
        <SecretBadge hasSecret={nas.hasSecret} />
      </Td>
      <Td label="API">
        <ApiBadge hasApiPassword={nas.hasApiPassword} />
      </Td>
      <Td label="Version" className="whitespace-nowrap text-xs">
        {nas.version || <span className="text-slate-400">—</span>}
      </Td>
      <Td cell="actions">
        <NasRowActions nas={nas} />
      </Td>
    </Tr>
  );
}

function Pager({ offset, shown, total, onOffset }: { offset: number; shown: number; total: number; onOffset: (o: number) => void }) {
  return (
    <div className="mt-2 flex items-center justify-between text-xs text-slate-500" data-testid="nas-pager">
      <span data-testid="nas-total">{shown === 0 ? `0 of ${total}` : `${offset + 1}–${offset + shown} of ${total}`}</span>
      {total > PAGE_SIZE && (
        <div className="flex gap-2">
          <Button disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </Button>
          <Button disabled={offset + shown >= total} onClick={() => onOffset(offset + PAGE_SIZE)}>
            Next
          </Button>
        </div>
      )}
    </div>
  );
}
