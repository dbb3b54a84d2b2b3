'use client';

import { useState } from 'react';
import { ConfirmDeleteDialog } from '@/components/ui/confirm-delete-dialog';
import { errorMessage } from '@/components/ui/error-text';
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
    <ConfirmDeleteDialog
      title={`Delete ${plan.name}?`}
      testId="plan-delete"
      onOpenChange={onOpenChange}
      pending={del.isPending}
      error={error}
      onConfirm={() => {
        setError(null);
        del.mutate({ id: plan.id });
      }}
    >
      <p>
        This removes the plan <strong>{plan.name}</strong>. A plan that subscribers use cannot be deleted
        {plan.subscriberCount > 0 ? ` (${plan.subscriberCount} do now): move them to another plan first.` : '.'}
      </p>
    </ConfirmDeleteDialog>
  );
}
