'use client';

import { useState } from 'react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';
import { api } from '@/trpc/react';

/**
 * Confirms a delete. The server refuses while a session is open (CONFLICT, with the count); its message is shown
 * as is and the dialog stays open.
 */
export function SubscriberDeleteDialog({
  subscriber,
  open,
  onOpenChange,
  onDeleted,
}: {
  subscriber: { id: number; username: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted?: () => void;
}) {
  const utils = api.useUtils();
  const [error, setError] = useState<string | null>(null);
  const del = api.subscribers.delete.useMutation({
    onSuccess: async () => {
      onOpenChange(false);
      onDeleted?.();
      await Promise.all([utils.subscribers.list.invalidate(), utils.nas.list.invalidate()]);
    },
    onError: (e) => setError(errorMessage(e)),
  });

  function change(next: boolean) {
    if (!next) setError(null);
    onOpenChange(next);
  }

  return (
    <Dialog open={open} onOpenChange={change} title={`Delete ${subscriber.username}?`} testId="subscriber-delete-dialog">
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          This removes <strong>{subscriber.username}</strong>: RADIUS rejects its next login. Its past sessions stay in accounting. This
          cannot be undone.
        </p>
        <FormError message={error} testId="subscriber-delete-error" />
      </div>
      <DialogFooter>
        <Button onClick={() => change(false)} disabled={del.isPending}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={del.isPending}
          onClick={() => {
            setError(null);
            del.mutate({ id: subscriber.id });
          }}
          data-testid="subscriber-delete-confirm"
        >
          {del.isPending && <Spinner />}
          {del.isPending ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
