'use client';

import { useState } from 'react';
import { api } from '@/trpc/react';
import { ConfirmDeleteDialog } from '@/components/ui/confirm-delete-dialog';
import { errorMessage } from '@/components/ui/error-text';

/**
 * Confirms a delete. The server refuses while sessions are open (CONFLICT); its message says how many and
 * what to do, so it is shown as is and the dialog stays open.
 */
export function NasDeleteDialog({
  nas,
  open,
  onOpenChange,
  onDeleted,
}: {
  nas: { id: number; name: string; ipAddress: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted?: () => void;
}) {
  const utils = api.useUtils();
  const [error, setError] = useState<string | null>(null);
  const del = api.nas.delete.useMutation({
    onSuccess: async () => {
      onOpenChange(false);
      onDeleted?.();
      await utils.nas.list.invalidate();
    },
    onError: (e) => setError(errorMessage(e)),
  });

  function change(next: boolean) {
    if (!next) setError(null);
    onOpenChange(next);
  }

  return (
    <ConfirmDeleteDialog
      title={`Delete ${nas.name}?`}
      testId="nas-delete"
      open={open}
      onOpenChange={change}
      pending={del.isPending}
      error={error}
      onConfirm={() => {
        setError(null);
        del.mutate({ id: nas.id });
      }}
    >
      <p>
        This removes <strong>{nas.name}</strong> ({nas.ipAddress}) and its RADIUS client entry. Subscribers on it will be rejected as an
        unknown NAS. This cannot be undone.
      </p>
    </ConfirmDeleteDialog>
  );
}
