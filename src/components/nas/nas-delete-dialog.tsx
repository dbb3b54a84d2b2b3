'use client';

import { useState } from 'react';
import { api } from '@/trpc/react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';

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
    <Dialog open={open} onOpenChange={change} title={`Delete ${nas.name}?`} testId="nas-delete-dialog">
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          This removes <strong>{nas.name}</strong> ({nas.ipAddress}) and its RADIUS client entry. Subscribers on it will be rejected as an
          unknown NAS. This cannot be undone.
        </p>
        <FormError message={error} testId="nas-delete-error" />
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
            del.mutate({ id: nas.id });
          }}
          data-testid="nas-delete-confirm"
        >
          {del.isPending && <Spinner />}
          {del.isPending ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
