'use client';

import { useState } from 'react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';
import { api } from '@/trpc/react';
import type { SessionActionResult, SessionListItem } from './types';

/**
 * Confirms closing a session by hand: for a session whose Stop never came (the router rebooted or lost it), the
 * panel writes what that Stop would have. The router is not contacted; the server's refusal (already closed,
 * not found) shows as is and the dialog stays open.
 */
export function CloseSessionDialog({
  session,
  open,
  onOpenChange,
  onClosed,
}: {
  session: SessionListItem;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onClosed: (result: SessionActionResult) => void;
}) {
  const utils = api.useUtils();
  const [error, setError] = useState<string | null>(null);
  const who = session.username ?? `session #${session.id}`;
  const close = api.sessions.close.useMutation({
    onSuccess: async () => {
      onOpenChange(false);
      onClosed({ username: who, ok: true, message: 'closed by hand (Admin-Reset); its address is free in the pool again' });
      await Promise.all([utils.sessions.list.invalidate(), utils.nas.list.invalidate()]);
    },
    onError: (e) => setError(errorMessage(e)),
  });

  function change(next: boolean) {
    if (!next) setError(null);
    onOpenChange(next);
  }

  return (
    <Dialog open={open} onOpenChange={change} title={`Close ${who}'s session by hand?`} testId="session-close-dialog">
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          For a session whose Stop never came: the router rebooted or lost it, and the session stays open here though the subscriber is
          gone. This writes what the Stop would have: the stop time (now), cause <strong>Admin-Reset</strong>, the NAS&apos;s session count,
          and <span className="font-mono">{session.framedIp ?? 'its address'}</span> back to available in the pool. It is audited.
        </p>
        <p>
          The router is not contacted. If the subscriber is really online on <strong>{session.nas?.name ?? session.nasIp}</strong>, use
          Disconnect instead: a session closed here stays closed even if the router goes on sending its updates.
        </p>
        <FormError message={error} testId="session-close-error" />
      </div>
      <DialogFooter>
        <Button onClick={() => change(false)} disabled={close.isPending}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={close.isPending}
          onClick={() => {
            setError(null);
            close.mutate({ id: session.id });
          }}
          data-testid="session-close-confirm"
        >
          {close.isPending && <Spinner />}
          {close.isPending ? 'Closing…' : 'Close session'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
