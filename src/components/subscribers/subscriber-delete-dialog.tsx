'use client';

import { useState } from 'react';
import { ConfirmDeleteDialog } from '@/components/ui/confirm-delete-dialog';
import { errorMessage } from '@/components/ui/error-text';
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
    <ConfirmDeleteDialog
      title={`Delete ${subscriber.username}?`}
      testId="subscriber-delete"
      open={open}
      onOpenChange={change}
      pending={del.isPending}
      error={error}
      onConfirm={() => {
        setError(null);
        del.mutate({ id: subscriber.id });
      }}
    >
      <p>
        This removes <strong>{subscriber.username}</strong>: RADIUS rejects its next login. Its past sessions stay in accounting. This
        cannot be undone.
      </p>
    </ConfirmDeleteDialog>
  );
}
