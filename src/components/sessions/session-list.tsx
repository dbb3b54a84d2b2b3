'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { PageHeader } from '@/components/ui/page-header';
import { SearchInput } from '@/components/ui/search-input';
import { Table, TableMessage, Th } from '@/components/ui/table';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { api } from '@/trpc/react';
import { SessionRow } from './session-row';
import type { SessionActionResult, SessionCursor } from './types';

const PAGE_SIZE = 50;
/** After a Disconnect the row goes when the router's Stop arrives: look again often until then. */
const WAITING_FOR_STOP_MS = 2_000;
const selectClass =
  'w-full min-w-0 rounded-md border border-slate-300 bg-white py-1.5 pl-2 pr-8 text-sm max-md:min-h-10 max-sm:text-base sm:w-auto focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-100';

/** The open sessions, the NAS filter preselected from `/sessions?nas_id=X` (the NAS table's Active sessions link). */
export function SessionList({ initialNasId }: { initialNasId: number | null }) {
  const can = useCan();
  const [search, setSearch] = useState('');
  const [nasId, setNasId] = useState<number | null>(initialNasId);
  // Keyset paging: the cursors of the pages before this one, so Previous walks back.
  const [cursors, setCursors] = useState<(SessionCursor | null)[]>([null]);
  const [result, setResult] = useState<SessionActionResult | null>(null);
  // Sessions a Disconnect was accepted for, until their Stop closes them.
  const [awaitingStop, setAwaitingStop] = useState<ReadonlySet<number>>(new Set());
  const debouncedSearch = useDebouncedValue(search.trim(), 250);
  const after = cursors[cursors.length - 1];
  const resetPaging = () => setCursors([null]);

  const options = api.sessions.nasOptions.useQuery(undefined, { staleTime: 60_000 });
  const list = api.sessions.list.useQuery(
    { search: debouncedSearch, nasId, limit: PAGE_SIZE, after },
    { placeholderData: keepPreviousData, refetchInterval: awaitingStop.size > 0 ? WAITING_FOR_STOP_MS : 30_000 },
  );
  const shown = new Set(list.data?.items.map((s) => s.id));
  const waiting = [...awaitingStop].filter((id) => shown.has(id));
  if (list.data && !list.isPlaceholderData && waiting.length !== awaitingStop.size) setAwaitingStop(new Set(waiting));
  const filtered = debouncedSearch !== '' || nasId !== null;
  const actions = can('sessions.disconnect');

  return (
    <div>
      <PageHeader title="Sessions" subtitle="Who is online where: the open sessions from RADIUS accounting, newest first." />

      {/* Search and filter stack on a phone, one full-width control per line. */}
      <div className="mb-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput
          value={search}
          onChange={(value) => {
            setSearch(value);
            resetPaging();
          }}
          placeholder="Username, IP or MAC"
          label="Search sessions by username, IP or MAC"
          testId="session-search"
          width="sm:w-72"
        />
        <select
          value={nasId ?? ''}
          onChange={(e) => {
            setNasId(e.target.value ? Number(e.target.value) : null);
            resetPaging();
          }}
          aria-label="Filter by NAS"
          data-testid="session-nas-filter"
          className={selectClass}
        >
          <option value="">All NAS</option>
          {/* A preselected NAS not among the options (out of scope) still shows as chosen: the list is empty then. */}
          {nasId !== null && options.data && !options.data.some((n) => n.id === nasId) && <option value={nasId}>NAS #{nasId}</option>}
          {options.data?.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.ipAddress})
            </option>
          ))}
        </select>
        {list.isFetching && <Spinner className="h-4 w-4 text-slate-400" />}
      </div>

      {result && (
        <div
          role="status"
          data-testid="session-action-message"
          data-ok={result.ok}
          className={`mb-3 flex items-start justify-between gap-3 rounded-md border px-3 py-2 text-sm ${
            result.ok ? 'border-emerald-200 bg-emerald-50 text-emerald-800' : 'border-red-200 bg-red-50 text-red-700'
          }`}
        >
          <span>
            <strong>{result.username}</strong>: {result.message}
          </span>
          <button type="button" className="shrink-0 text-xs underline max-md:min-h-10 max-md:px-2" onClick={() => setResult(null)}>
            Dismiss
          </button>
        </div>
      )}

      <Table testId="session-table" cards>
        <thead>
          <tr>
            <Th>Username</Th>
            <Th>NAS</Th>
            <Th>Framed-IP</Th>
            <Th>MAC</Th>
            <Th>Uptime</Th>
            <Th className="text-right">In / out</Th>
            <Th>Last update</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {list.error && !list.data ? (
            <TableMessage colSpan={8} testId="session-list-error">
              <span className="text-red-600">Could not load sessions: {errorMessage(list.error)}</span>
            </TableMessage>
          ) : !list.data ? (
            <TableMessage colSpan={8}>Loading…</TableMessage>
          ) : list.data.items.length === 0 ? (
            <TableMessage colSpan={8} testId="session-empty">
              {filtered ? 'No open session matches the search or filter.' : 'No open sessions.'}
            </TableMessage>
          ) : (
            list.data.items.map((s) => (
              <SessionRow
                key={s.id}
                session={s}
                actions={actions}
                awaitingStop={awaitingStop.has(s.id)}
                onResult={(r, disconnected) => {
                  setResult(r);
                  if (disconnected) setAwaitingStop((prev) => new Set(prev).add(s.id));
                }}
              />
            ))
          )}
        </tbody>
      </Table>

      {list.data && (list.data.total > 0 || cursors.length > 1) && (
        <div className="mt-2 flex items-center justify-between text-xs text-slate-500" data-testid="session-pager">
          <span data-testid="session-total">
            {(() => {
              const first = (cursors.length - 1) * PAGE_SIZE;
              const count = list.data.items.length;
              const of = `${list.data.total.toLocaleString('en')}${list.data.totalCapped ? '+' : ''}`;
              return count === 0 ? `0 of ${of}` : `${first + 1}–${first + count} of ${of}`;
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
    </div>
  );
}
