import type { Actor } from '@/server/auth/actor';

/**
 * Whose subscriber a write makes: an actor who sees every subscriber (nas.all) chooses the reseller (or none);
 * anyone else's subscribers always belong to their own reseller, whatever the input says.
 */
export function subscriberResellerFor(actor: Actor, requested: number | null): number | null {
  return actor.permissions.has('nas.all') ? requested : actor.resellerId;
}
