'use client';

import { useState } from 'react';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { FormError } from '@/components/ui/field';
import { api } from '@/trpc/react';

/**
 * Confirms a delete. The server refuses while subscribers use the plan (CONFLICT, with the count); its message
 * is shown as is and the dialog stays open.
 */
export function PlanDeleteDialog({
  plan,
  onOpenChange,
}: {
  plan: { id: number; name: string; subscriberCount: number };
  onOpenChange: (open: boolean) => void;
}) {
  const utils = api.useUtils();
  const [error, setError] = useState<string | null>(null);
  const del = api.plans.delete.useMutation({
    onSuccess: async () => {
      onOpenChange(false);
      await utils.plans.invalidate();
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <Dialog open onOpenChange={onOpenChange} title={`Delete ${plan.name}?`} testId="plan-delete-dialog">
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          This removes the plan <strong>{plan.name}</strong>. A plan that subscribers use cannot be deleted
          {plan.subscriberCount > 0 ? ` (${plan.subscriberCount} do now): move them to another plan first.` : '.'}
        </p>
        <FormError message={error} testId="plan-delete-error" />
      </div>
      <DialogFooter>
        <Button onClick={() => onOpenChange(false)} disabled={del.isPending}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={del.isPending}
          onClick={() => {
            setError(null);
            del.mutate({ id: plan.id });
          }}
          data-testid="plan-delete-confirm"
        >
          {del.isPending && <Spinner />}
          {del.isPending ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
