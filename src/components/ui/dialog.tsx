'use client';

import * as RadixDialog from '@radix-ui/react-dialog';
import { CloseIcon } from './icons';

/**
 * Radix Dialog with the panel's look. Controlled only: the caller owns `open`, so a mutation can keep the
 * dialog open on error and close it on success.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  width = 'max-w-lg',
  children,
  testId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  width?: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content
          data-testid={testId}
          // Without a description Radix warns unless aria-describedby is explicitly cleared.
          {...(description ? {} : { 'aria-describedby': undefined })}
          className={`fixed left-1/2 top-1/2 z-50 flex max-h-[90vh] w-[calc(100%-2rem)] ${width} -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg bg-white shadow-xl focus:outline-none`}
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-3">
            <div>
              <RadixDialog.Title className="text-base font-semibold text-slate-900">{title}</RadixDialog.Title>
              {description && <RadixDialog.Description className="mt-0.5 text-sm text-slate-500">{description}</RadixDialog.Description>}
            </div>
            <RadixDialog.Close aria-label="Close" className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700">
              <CloseIcon />
            </RadixDialog.Close>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Sticky bottom bar for a dialog's buttons, so Save stays reachable in a long form. */
export function DialogFooter({ children }: { children: React.ReactNode }) {
  return <div className="sticky bottom-0 flex items-center justify-end gap-2 border-t border-slate-200 bg-white px-5 py-3">{children}</div>;
}
