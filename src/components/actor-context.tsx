'use client';

import { createContext, useContext } from 'react';
import type { Permission } from '@/lib/permissions';

export interface ClientActor {
  email: string;
  name: string;
  role: string;
  resellerId: number | null;
  permissions: Permission[];
}

const ActorContext = createContext<ClientActor | null>(null);

export function ActorProvider({ actor, children }: { actor: ClientActor; children: React.ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

/** The UI hides what the user may not do; the server checks every call regardless. */
export function useCan() {
  const actor = useContext(ActorContext);
  return (p: Permission) => Boolean(actor?.permissions.includes(p));
}

export function useActor() {
  return useContext(ActorContext);
}
