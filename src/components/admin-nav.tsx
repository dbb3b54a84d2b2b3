'use client';

import * as RadixDialog from '@radix-ui/react-dialog';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { CloseIcon, MenuIcon } from '@/components/ui/icons';

export interface NavLink {
  href: string;
  label: string;
}

interface Props {
  links: NavLink[];
  email: string;
  role: string;
}

/**
 * The admin navigation: a sidebar from `md` up; below it a top bar whose menu button opens the same links,
 * the signed-in user and Sign out in a sheet (a Radix dialog: focus trap, Escape, a name for screen readers).
 */
export function AdminNav(props: Props) {
  return (
    <>
      <nav aria-label="Main" className="hidden w-56 shrink-0 flex-col bg-slate-900 p-4 text-slate-100 md:flex">
        <Link href="/nas" className="mb-6 text-lg font-semibold">
          NAS Panel
        </Link>
        <NavContent {...props} />
      </nav>
      <MobileBar {...props} />
    </>
  );
}

function MobileBar(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center justify-between bg-slate-900 px-2 text-slate-100 md:hidden">
      <Link href="/nas" className="flex min-h-10 items-center px-2 text-lg font-semibold">
        NAS Panel
      </Link>
      <RadixDialog.Root open={open} onOpenChange={setOpen}>
        <RadixDialog.Trigger
          aria-label="Open menu"
          data-testid="nav-menu-button"
          className="flex h-11 w-11 items-center justify-center rounded-md text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-400"
        >
          <MenuIcon className="h-6 w-6" />
        </RadixDialog.Trigger>
        <RadixDialog.Portal>
          <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/50" />
          <RadixDialog.Content
            aria-describedby={undefined}
            data-testid="nav-sheet"
            className="fixed inset-y-0 left-0 z-50 flex w-[min(18rem,85vw)] flex-col overflow-y-auto bg-slate-900 p-4 text-slate-100 shadow-xl focus:outline-none"
          >
            <div className="mb-4 flex items-center justify-between">
              <RadixDialog.Title className="text-lg font-semibold">NAS Panel</RadixDialog.Title>
              <RadixDialog.Close aria-label="Close menu" className="flex h-11 w-11 items-center justify-center rounded-md text-slate-300">
                <CloseIcon className="h-6 w-6" />
              </RadixDialog.Close>
            </div>
            <nav aria-label="Main" className="flex flex-1 flex-col">
              {/* Any tap on a link closes the sheet, also when it is the page already shown (no route change). */}
              <NavContent {...props} onNavigate={() => setOpen(false)} />
            </nav>
          </RadixDialog.Content>
        </RadixDialog.Portal>
      </RadixDialog.Root>
    </header>
  );
}

function NavContent({ links, email, role, onNavigate }: Props & { onNavigate?: () => void }) {
  const path = usePathname() ?? '';
  return (
    <>
      <ul className="space-y-1 text-sm">
        {links.map((l) => {
          const current = path === l.href || path.startsWith(`${l.href}/`);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                onClick={onNavigate}
                aria-current={current ? 'page' : undefined}
                className={`flex min-h-10 items-center rounded px-2 md:min-h-0 md:py-1.5 ${current ? 'bg-slate-800 text-white' : 'hover:bg-slate-800'}`}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="mt-auto space-y-1 border-t border-slate-700 pt-4 text-xs text-slate-400">
        <div data-testid="current-user" className="break-all">
          {email}
        </div>
        <div>role: {role}</div>
        <SignOutButton />
      </div>
    </>
  );
}
