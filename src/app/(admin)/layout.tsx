import { headers } from 'next/headers';
import { ActorProvider } from '@/components/actor-context';
import { AdminNav } from '@/components/admin-nav';
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
        <div className="min-h-screen md:flex">
          <AdminNav
            links={links.filter((l) => l.show).map(({ href, label }) => ({ href, label }))}
            email={actor.email}
            role={actor.roleName}
          />
          <main className="min-w-0 flex-1 p-3 sm:p-4 md:p-6">{children}</main>
        </div>
      </TRPCProvider>
    </ActorProvider>
  );
}
