import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';

/** What the RADIUS services have seen from one NAS lately (nas_radius_stats, written every few seconds). */
export interface RadiusSeen {
  lastVerifiedAt: Date | null;
  lastMismatchAt: Date | null;
  /** Packets that failed the secret check, in this hour and the last (the buckets are hourly). */
  recentMismatches: number;
  recentMissingMessageAuthenticator: number;
  /** The start of the period those counts cover. */
  since: Date;
}

export async function radiusSeen(nasId: number): Promise<RadiusSeen> {
  const [r] = await db().execute<{ lv: string | null; lm: string | null; mm: number; nm: number; since: string }>(sql`
    select max(last_verified_at) as lv, max(last_mismatch_at) as lm,
           coalesce(sum(secret_mismatches) filter (where hour >= date_trunc('hour', now()) - interval '1 hour'), 0)::int as mm,
           coalesce(sum(missing_message_authenticator) filter (where hour >= date_trunc('hour', now()) - interval '1 hour'), 0)::int as nm,
           date_trunc('hour', now()) - interval '1 hour' as since
    from nas_radius_stats where nas_id = ${nasId}`);
  return {
    lastVerifiedAt: r.lv ? new Date(r.lv) : null,
    lastMismatchAt: r.lm ? new Date(r.lm) : null,
    recentMismatches: r.mm,
    recentMissingMessageAuthenticator: r.nm,
    since: new Date(r.since),
  };
}

/** "14 s", "3 min", "2 h", "5 d". */
export function ago(then: Date, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - then.getTime()) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 129_600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
