'use client';

import * as RadixDialog from '@radix-ui/react-dialog';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { Button, buttonClass, Spinner } from './button';
import { MoreIcon } from './icons';

export interface RowAction {
  /** What the menu shows: "Edit". */
  label: string;
  /** What a screen reader says, naming the row: "Edit core-1". */
  ariaLabel: string;
  icon: React.ReactNode;
  onSelect?: () => void;
  href?: string;
  disabled?: boolean;
  busy?: boolean;
  danger?: boolean;
  /** The icon button's tooltip on a desktop (an explanation, never the only place it is said). */
  title?: string;
  testId?: string;
}

/**
 * A row's actions: icon buttons from `md` up (or `children`, for a row whose desktop actions are worded
 * buttons); below it one "Actions for <name>" button opening a sheet that lists the same actions as
 * full-width, labelled buttons (a Radix dialog, so it traps focus and closes on Escape).
 */
export function RowActions({
  name,
  actions,
  testId,
  children,
}: {
  name: string;
  actions: RowAction[];
  testId?: string;
  children?: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  // The chosen action runs once the sheet has closed and handed focus back, so a dialog it opens is not
  // fighting the sheet's focus trap and returns focus to this row when it closes.
  const pending = useRef<(() => void) | null>(null);
  const busy = actions.some((a) => a.busy);
  if (actions.length === 0) return null;

  return (
    <>
      <div className="hidden items-center justify-end gap-0.5 md:flex">
        {children ??
          actions.map((a) =>
            a.href ? (
              <Link
                key={a.label}
                href={a.href}
                className={buttonClass('ghost', 'icon')}
                aria-label={a.ariaLabel}
                title={a.title ?? a.label}
                data-testid={a.testId}
              >
                {a.icon}
              </Link>
            ) : (
              <Button
                key={a.label}
                size="icon"
                variant="ghost"
                className={a.danger ? 'hover:bg-red-50! hover:text-red-600!' : ''}
                aria-label={a.ariaLabel}
                title={a.title ?? a.label}
                disabled={a.disabled || a.busy}
                onClick={a.onSelect}
                data-testid={a.testId}
              >
                {a.busy ? <Spinner /> : a.icon}
              </Button>
            ),
          )}
      </div>

      <RadixDialog.Root open={open} onOpenChange={setOpen}>
        <RadixDialog.Trigger
          aria-label={`Actions for ${name}`}
          data-testid={testId ? `${testId}-menu` : undefined}
          className={`${buttonClass('ghost', 'icon')} md:hidden`}
        >
          {busy ? <Spinner /> : <MoreIcon className="h-5 w-5" />}
        </RadixDialog.Trigger>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
          <RadixDialog.Content
            aria-describedby={undefined}
            onCloseAutoFocus={() => {
              const run = pending.current;
              pending.current = null;
              if (run) setTimeout(run, 0);
            }}
            className="fixed inset-x-0 bottom-0 z-50 max-h-[80dvh] overflow-y-auto rounded-t-xl bg-white pb-2 shadow-xl focus:outline-none"
          >
            <RadixDialog.Title className="break-words border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900">
              {name}
            </RadixDialog.Title>
            <ul className="py-1">
              {actions.map((a) => {
                const item = `flex min-h-12 w-full items-center gap-3 px-4 text-left text-base ${
                  a.danger ? 'text-red-700' : 'text-slate-800'
                } disabled:text-slate-400`;
                return (
                  <li key={a.label}>
                    {a.href ? (
                      <Link href={a.href} className={item} aria-label={a.ariaLabel} onClick={() => setOpen(false)}>
                        {a.icon} {a.label}
                      </Link>
                    ) : (
                      <button
                        type="button"
                        className={item}
                        aria-label={a.ariaLabel}
                        disabled={a.disabled || a.busy}
                        onClick={() => {
                          pending.current = a.onSelect ?? null;
                          setOpen(false);
                        }}
                      >
                        {a.busy ? <Spinner /> : a.icon} {a.label}
                      </button>
                    )}
                    {a.disabled && a.title && <p className="-mt-2 px-4 pb-2 pl-11 text-xs text-slate-500">{a.title}</p>}
                  </li>
                );
              })}
            </ul>
            <RadixDialog.Close className="mx-4 mt-1 flex min-h-11 w-[calc(100%-2rem)] items-center justify-center rounded-md border border-slate-300 text-base text-slate-700">
              Cancel
            </RadixDialog.Close>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
    </>
  );
}
