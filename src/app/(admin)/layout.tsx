import Link from 'next/link';
import { headers } from 'next/headers';
import { ActorProvider } from '@/components/actor-context';
import { SignOutButton } from '@/components/sign-out-button';
import { requireActor } from '@/server/auth/require';
import { TRPCProvider } from '@/trpc/react';

export const dynamic = 'force-dynamic';

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const path = (await headers()).get('x-pathname') ?? '/nas';
  const actor = await requireActor(path);
  const can = (p: string) => actor.permissions.has(p as never);
  const links = [
    { href: '/nas', label: 'NAS / Routers', show: can('nas.view') },
    { href: '/subscribers', label: 'Subscribers', show: can('subscribers.view') },
    { href: '/sessions', label: 'Sessions', show: can('sessions.view') },
    { href: '/plans', label: 'Services & Plans', show: can('plans.manage') },
    { href: '/diagnostics', label: 'Diagnostic Tools', show: can('nas.view') },
    { href: '/resellers', label: 'Resellers', show: can('resellers.manage') },
    { href: '/users', label: 'Users', show: can('users.manage') },
  ];
  return (
    <ActorProvider
      actor={{
        email: actor.email,
        name: actor.name,
        role: actor.roleName,
        resellerId: actor.resellerId,
        permissions: [...actor.permissions],
      }}
    >
      <TRPCProvider>
        <div className="flex min-h-screen">
          <nav className="flex w-56 shrink-0 flex-col bg-slate-900 p-4 text-slate-100">
            <Link href="/nas" className="mb-6 text-lg font-semibold">
              NAS Panel
            </Link>
            <ul className="space-y-1 text-sm">
              {links
                .filter((l) => l.show)
                .map((l) => (
                  <li key={l.href}>
                    <Link href={l.href} className="block rounded px-2 py-1.5 hover:bg-slate-800">
                      {l.label}
                    </Link>
                  </li>
                ))}
            </ul>
            <div className="mt-auto space-y-1 border-t border-slate-700 pt-4 text-xs text-slate-400">
              <div data-testid="current-user">{actor.email}</div>
              <div>role: {actor.roleName}</div>
              <SignOutButton />
            </div>
          </nav>
          <main className="min-w-0 flex-1 p-6">{children}</main>
        </div>
      </TRPCProvider>
    </ActorProvider>
  );
}
