'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useCan } from '@/components/actor-context';
import { formatBytes, uptimeSince } from '@/components/subscribers/format';
import { Button, Spinner } from '@/components/ui/button';
import { errorMessage } from '@/components/ui/error-text';
import { ActivityIcon, CloseIcon, PowerIcon } from '@/components/ui/icons';
import { RelativeTime } from '@/components/ui/relative-time';
import { RowActions, type RowAction } from '@/components/ui/row-actions';
import { Td, Tr } from '@/components/ui/table';
import { api } from '@/trpc/react';
import { CloseSessionDialog } from './lazy-dialogs';
import type { SessionActionResult, SessionListItem } from './types';

/**
 * One open session. Disconnect asks the NAS to end it (CoA, or the API when CoA fails) and says how it went;
 * the row stays until the router's Stop closes it. Close by hand is for a session whose Stop never came.
 */
export function SessionRow({
  session: s,
  actions,
  awaitingStop,
  onResult,
}: {
  session: SessionListItem;
  actions: boolean;
  awaitingStop: boolean;
  onResult: (result: SessionActionResult, disconnected: boolean) => void;
}) {
  const can = useCan();
  const [closing, setClosing] = useState(false);
  const who = s.username ?? `session #${s.id}`;
  const disconnect = api.sessionControl.disconnect.useMutation({
    onSuccess: (r) => onResult({ username: who, ok: r.ok, message: r.message }, r.ok),
    onError: (e) => onResult({ username: who, ok: false, message: errorMessage(e) }, false),
  });
  const muted = <span className="text-slate-400">—</span>;
  // The phone's menu: the same three actions, each naming the session for a screen reader.
  const menu: RowAction[] = [
    { label: 'Torch', ariaLabel: `Torch ${who}`, icon: <ActivityIcon />, href: `/sessions/${s.id}/torch` },
    ...(actions
      ? [
          {
            label: disconnect.isPending ? 'Disconnecting…' : 'Disconnect',
            ariaLabel: `Disconnect ${who}`,
            icon: <PowerIcon />,
            busy: disconnect.isPending,
            onSelect: () => disconnect.mutate({ id: s.id }),
          },
          { label: 'Close by hand', ariaLabel: `Close ${who} by hand`, icon: <CloseIcon />, onSelect: () => setClosing(true) },
        ]
      : []),
  ];
  return (
    <Tr data-testid={`session-row-${s.id}`} data-username={s.username ?? ''}>
      <Td cell="title">
        {s.subscriberId !== null && can('subscribers.view') ? (
          <Link href={`/subscribers/${s.subscriberId}`} className="font-medium text-slate-900 hover:text-sky-700 hover:underline">
            {who}
          </Link>
        ) : (
          <span className="font-medium text-slate-900">{who}</span>
        )}
        {awaitingStop && (
          <span className="ml-2 text-xs text-amber-700" data-testid="session-awaiting-stop">
            waiting for the router&apos;s Stop
          </span>
        )}
      </Td>
      <Td label="NAS">
        <span className="inline-flex flex-col">
          <span data-testid="session-nas">{s.nas?.name ?? 'unknown NAS'}</span>
          <span className="font-mono text-xs text-slate-500">{s.nasIp}</span>
        </span>
      </Td>
      <Td label="Framed-IP" className="whitespace-nowrap font-mono text-xs">
        <span data-testid="session-framed-ip">{s.framedIp ?? muted}</span>
      </Td>
      <Td label="MAC" className="whitespace-nowrap font-mono text-xs">
        {s.callingStationId ?? muted}
      </Td>
      <Td label="Uptime" className="whitespace-nowrap text-xs">
        <span title={s.startedAt ? `since ${new Date(s.startedAt).toLocaleString()}` : undefined}>{uptimeSince(s.startedAt)}</span>
      </Td>
      <Td label="In / out" className="whitespace-nowrap text-right text-xs">
        <span title="in: from the subscriber (Acct-Input-Octets) / out: to the subscriber (Acct-Output-Octets)">
          {formatBytes(s.inputBytes)} / {formatBytes(s.outputBytes)}
        </span>
      </Td>
      <Td label="Last update" className="whitespace-nowrap text-xs">
        <RelativeTime iso={s.updatedAt} never="—" />
      </Td>
      <Td cell="actions">
        <RowActions name={who} actions={menu} testId={`session-actions-${s.id}`}>
          <Link
            href={`/sessions/${s.id}/torch`}
            className="rounded px-2 py-1 text-xs font-medium text-sky-700 hover:bg-sky-50"
            title="Watch this session's traffic live"
            data-testid="session-torch-link"
          >
            Torch
          </Link>
          {actions && (
            <>
              <Button
                disabled={disconnect.isPending}
                onClick={() => disconnect.mutate({ id: s.id })}
                title="End the session on the router (CoA Disconnect, or the API)"
                data-testid="session-disconnect-button"
              >
                {disconnect.isPending && <Spinner />}
                {disconnect.isPending ? 'Disconnecting…' : 'Disconnect'}
              </Button>
              <Button
                variant="ghost"
                onClick={() => setClosing(true)}
                title="For a session whose Stop never came"
                data-testid="session-close-button"
              >
                Close by hand
              </Button>
            </>
          )}
        </RowActions>
        {closing && <CloseSessionDialog open onOpenChange={setClosing} session={s} onClosed={(r) => onResult(r, false)} />}
      </Td>
    </Tr>
  );
}
