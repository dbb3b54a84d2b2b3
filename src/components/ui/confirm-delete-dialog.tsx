'use client';

import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';

/**
 * The shell every delete confirmation shares: what will be removed (children), the server's refusal shown as
 * is (the dialog stays open), Cancel and a danger Delete that says it is working. Test ids: `<testId>-dialog`,
 * `-error`, `-confirm`.
 */
export function ConfirmDeleteDialog({
  title,
  testId,
  open = true,
  onOpenChange,
  pending,
  error,
  onConfirm,
  children,
}: {
  title: string;
  testId: string;
  open?: boolean;
  onOpenChange: (open: boolean) => void;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  children: React.ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} testId={`${testId}-dialog`}>
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        {children}
        <FormError message={error} testId={`${testId}-error`} />
      </div>
      <DialogFooter>
        <Button onClick={() => onOpenChange(false)} disabled={pending}>
          Cancel
        </Button>
        <Button variant="danger" disabled={pending} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {pending && <Spinner />}
          {pending ? 'Deleting…' : 'Delete'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
