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
          // Below sm the dialog is the whole screen (h-dvh: the visible height, with the browser's bars).
          className={`fixed left-1/2 top-1/2 z-50 flex max-h-[90vh] w-[calc(100%-2rem)] ${width} -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg bg-white shadow-xl focus:outline-none max-sm:inset-0 max-sm:h-dvh max-sm:max-h-none max-sm:w-full max-sm:max-w-none max-sm:translate-x-0 max-sm:translate-y-0 max-sm:rounded-none`}
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-3">
            <div>
              <RadixDialog.Title className="text-base font-semibold text-slate-900">{title}</RadixDialog.Title>
              {description && <RadixDialog.Description className="mt-0.5 text-sm text-slate-500">{description}</RadixDialog.Description>}
            </div>
            <RadixDialog.Close
              aria-label="Close"
              className="-mr-1 flex h-7 w-7 shrink-0 items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700 max-md:-mr-2 max-md:h-10 max-md:w-10"
            >
              <CloseIcon />
            </RadixDialog.Close>
          </div>
          {/* On phones the footer is fixed to the screen's bottom: room for it below the last field. */}
          <div className="min-h-0 flex-1 overflow-y-auto max-sm:pb-20">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/**
 * Sticky bottom bar for a dialog's buttons, so Save stays reachable in a long form; on a phone, where the
 * dialog is the screen, pinned to the bottom edge even when the form is short.
 */
export function DialogFooter({ children }: { children: React.ReactNode }) {
  return (
    <div className="sticky bottom-0 flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 bg-white px-5 py-3 max-sm:fixed max-sm:inset-x-0">
      {children}
    </div>
  );
}
