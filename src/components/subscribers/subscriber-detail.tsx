'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { BackLink } from '@/components/ui/back-link';
import { Button } from '@/components/ui/button';
import { errorCode, errorMessage } from '@/components/ui/error-text';
import { PencilIcon, TrashIcon } from '@/components/ui/icons';
import { DefinitionList, PageHeader, Section } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import { formatBytes, formatDuration, uptimeSince } from './format';
import { SubscriberDeleteDialog, SubscriberFormDialog } from './lazy-dialogs';
import { NasNotAssignedBadge, SubscriberStatus } from './subscriber-status';
import { SubscriberNotFound } from './subscriber-not-found';
import type { SubscriberDetail } from './types';

const muted = (s: string) => <span className="text-slate-400">{s}</span>;

export function SubscriberDetailView({ id }: { id: number }) {
  const sub = api.subscribers.get.useQuery({ id }, { retry: false, refetchInterval: 30_000 });
  if (sub.error) {
    return errorCode(sub.error) === 'NOT_FOUND' ? (
      <SubscriberNotFound />
    ) : (
      <p className="text-sm text-red-600" role="alert">
        Could not load the subscriber: {errorMessage(sub.error)}
      </p>
    );
  }
  if (!sub.data) return <p className="text-sm text-slate-500">Loading…</p>;
  return <SubscriberDetailLoaded sub={sub.data} />;
}

function SubscriberDetailLoaded({ sub }: { sub: SubscriberDetail }) {
  const can = useCan();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <div data-testid="subscriber-detail" data-subscriber-id={sub.id}>
      <BackLink href="/subscribers">Subscribers</BackLink>
      <PageHeader
        title={sub.username}
        subtitle={[sub.plan?.name, sub.nas?.name].filter(Boolean).join(' · ') || undefined}
        actions={
          <>
            {can('subscribers.edit') && (
              <Button onClick={() => setEditing(true)} aria-label={`Edit ${sub.username}`} data-testid="subscriber-edit-button">
                <PencilIcon /> Edit
              </Button>
            )}
            {can('subscribers.delete') && (
              <Button onClick={() => setDeleting(true)} aria-label={`Delete ${sub.username}`} data-testid="subscriber-delete-button">
                <TrashIcon /> Delete
              </Button>
            )}
          </>
        }
      />

      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Section title="Status" testId="subscriber-section-status">
          <DefinitionList
            items={[
              { label: 'Status', value: <SubscriberStatus sub={sub} /> },
              ...(sub.online
                ? [
                    {
                      label: 'IP now',
                      value: <span className="font-mono text-xs">{sub.online.framedIp ?? '—'}</span>,
                      testId: 'online-ip',
                    },
                    { label: 'Uptime', value: uptimeSince(sub.online.startedAt) },
                    { label: 'MAC', value: <span className="font-mono text-xs">{sub.online.callingStationId ?? '—'}</span> },
                  ]
                : []),
              { label: 'Last session', value: <RelativeTime iso={sub.lastSessionAt} never="never" /> },
            ]}
          />
        </Section>
        <Section title="Account" testId="subscriber-section-account">
          <DefinitionList
            items={[
              {
                label: 'NAS',
                value: sub.nas ? (
                  <span className="flex flex-wrap items-center gap-1">
                    {can('nas.view') ? (
                      <Link href={`/nas/${sub.nas.id}`} className="hover:underline max-md:inline-flex max-md:min-h-10 max-md:items-center">
                        {sub.nas.name}
                      </Link>
                    ) : (
                      sub.nas.name
                    )}
                    <span className="font-mono text-xs text-slate-500">{sub.nas.ipAddress}</span>
                    {sub.nasNotAssigned && <NasNotAssignedBadge />}
                  </span>
                ) : (
                  muted('none')
                ),
              },
              { label: 'Plan', value: sub.plan?.name ?? muted('none') },
              {
                label: 'Static IP',
                value: sub.staticIp ? <span className="font-mono text-xs">{sub.staticIp}</span> : muted('from the pool'),
              },
              { label: 'Reseller', value: sub.reseller?.name ?? muted('none') },
              { label: 'Password', value: sub.hasPassword ? 'stored (never shown)' : muted('none: logins are rejected') },
              { label: 'Created', value: <RelativeTime iso={sub.createdAt} /> },
            ]}
          />
        </Section>

        <div className="xl:col-span-2">
          <Section title={`Sessions (last ${sub.sessions.length === 50 ? 50 : sub.sessions.length})`} testId="subscriber-section-sessions">
            <Table testId="subscriber-sessions" cards>
              <thead>
                <tr>
                  <Th>Started</Th>
                  <Th>Stopped</Th>
                  <Th>Duration</Th>
                  <Th>NAS</Th>
                  <Th>IP</Th>
                  <Th>MAC</Th>
                  <Th className="text-right">Download</Th>
                  <Th className="text-right">Upload</Th>
                  <Th>Terminate cause</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {sub.sessions.length === 0 ? (
                  <TableMessage colSpan={9}>No sessions yet.</TableMessage>
                ) : (
                  sub.sessions.map((s) => (
                    <Tr key={s.id} data-testid="subscriber-session">
                      <Td label="Started" className="whitespace-nowrap text-xs">
                        {s.startedAt ? new Date(s.startedAt).toLocaleString() : '—'}
                      </Td>
                      <Td label="Stopped" className="whitespace-nowrap text-xs">
                        {s.stoppedAt ? new Date(s.stoppedAt).toLocaleString() : <span className="text-emerald-700">open</span>}
                      </Td>
                      <Td label="Duration" className="whitespace-nowrap text-xs">
                        {s.stoppedAt ? (s.sessionTime === null ? '—' : formatDuration(s.sessionTime)) : uptimeSince(s.startedAt)}
                      </Td>
                      <Td label="NAS" className="font-mono text-xs">
                        {s.nasIp}
                      </Td>
                      <Td label="IP" className="font-mono text-xs">
                        {s.framedIp ?? '—'}
                      </Td>
                      <Td label="MAC" className="font-mono text-xs">
                        {s.callingStationId ?? '—'}
                      </Td>
                      {/* radacct counts from the NAS's side: its output is what the subscriber downloaded. */}
                      <Td label="Download" className="text-right tabular-nums">
                        {formatBytes(s.outputBytes)}
                      </Td>
                      <Td label="Upload" className="text-right tabular-nums">
                        {formatBytes(s.inputBytes)}
                      </Td>
                      <Td label="Terminate cause" className="text-xs">
                        {s.terminateCause ?? (s.stoppedAt ? '—' : '')}
                      </Td>
                    </Tr>
                  ))
                )}
              </tbody>
            </Table>
          </Section>
        </div>

        <div className="xl:col-span-2">
          <Section title="History" testId="subscriber-section-history">
            {sub.history.length === 0 ? (
              <p className="text-sm text-slate-500">No changes recorded.</p>
            ) : (
              <ol className="divide-y divide-slate-100 text-sm" data-testid="subscriber-history">
                {sub.history.map((h) => (
                  <li key={h.id} className="flex flex-wrap items-baseline gap-x-3 py-1.5" data-testid="subscriber-history-entry">
                    <span className="w-24 shrink-0 text-xs text-slate-500">
                      <RelativeTime iso={h.at} />
                    </span>
                    <span className="w-48 shrink-0 truncate text-xs text-slate-600" title={h.actorEmail}>
                      {h.actorEmail}
                    </span>
                    <span className="min-w-0 flex-1 text-slate-800 wrap-anywhere max-sm:basis-full">{h.summary}</span>
                  </li>
                ))}
              </ol>
            )}
          </Section>
        </div>
      </div>

      {editing && <SubscriberFormDialog open onOpenChange={setEditing} subscriberId={sub.id} />}
      {deleting && (
        <SubscriberDeleteDialog open onOpenChange={setDeleting} subscriber={sub} onDeleted={() => router.push('/subscribers')} />
      )}
    </div>
  );
}
