import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { pgIntArray, pgTextArray } from '@/server/db/pg-array';

type Counter = 'requests' | 'accepts' | 'rejects' | 'accounting' | 'secretMismatches' | 'missingMessageAuthenticator';

interface Tally {
  requests: number;
  accepts: number;
  rejects: number;
  accounting: number;
  secretMismatches: number;
  missingMessageAuthenticator: number;
  lastVerifiedAt: number | null;
  lastMismatchAt: number | null;
  /** Accounting from this NAS: its last_seen (the documentation's "last successful API ping or accounting packet"). */
  lastAccountingAt: number | null;
}

const empty = (): Tally => ({
  requests: 0,
  accepts: 0,
  rejects: 0,
  accounting: 0,
  secretMismatches: 0,
  missingMessageAuthenticator: 0,
  lastVerifiedAt: null,
  lastMismatchAt: null,
  lastAccountingAt: null,
});

/**
 * What each NAS sent, counted in memory and written every few seconds (never per packet: at 700 packets a second
 * a row update each would be most of the database's work): hourly counters in nas_radius_stats, which Test
 * Connection and the NAS page read, and last_seen / is_online from accounting.
 */
export class NasActivity {
  private tallies = new Map<number, Tally>();

  count(nasId: number, counter: Counter, at = Date.now()) {
    let t = this.tallies.get(nasId);
    if (!t) this.tallies.set(nasId, (t = empty()));
    t[counter]++;
    if (counter === 'secretMismatches') t.lastMismatchAt = at;
    else if (counter === 'requests' || counter === 'accounting') t.lastVerifiedAt = at;
    if (counter === 'accounting') t.lastAccountingAt = at;
  }

  /** Writes and forgets what was counted; what fails to be written is counted again next time. */
  async flush(): Promise<void> {
    if (this.tallies.size === 0) return;
    const tallies = this.tallies;
    this.tallies = new Map();
    const ids = [...tallies.keys()];
    const col = (f: (t: Tally) => number) => pgIntArray(ids.map((id) => f(tallies.get(id)!)));
    const time = (f: (t: Tally) => number | null) =>
      pgTextArray(
        ids.map((id) => {
          const v = f(tallies.get(id)!);
          return v === null ? '' : new Date(v).toISOString();
        }),
      );
    try {
      await db().transaction(async (tx) => {
        await tx.execute(sql`
          insert into nas_radius_stats as s (nas_id, hour, requests, accepts, rejects, accounting, secret_mismatches, missing_message_authenticator, last_verified_at, last_mismatch_at)
          select v.id, date_trunc('hour', now()), v.rq, v.ac, v.rj, v.acct, v.mm, v.nm, nullif(v.lv, '')::timestamptz, nullif(v.lm, '')::timestamptz
          from unnest(${pgIntArray(ids)}::int4[], ${col((t) => t.requests)}::int4[], ${col((t) => t.accepts)}::int4[], ${col((t) => t.rejects)}::int4[],
                      ${col((t) => t.accounting)}::int4[], ${col((t) => t.secretMismatches)}::int4[], ${col((t) => t.missingMessageAuthenticator)}::int4[],
                      ${time((t) => t.lastVerifiedAt)}::text[], ${time((t) => t.lastMismatchAt)}::text[]) as v(id, rq, ac, rj, acct, mm, nm, lv, lm)
          where exists (select 1 from nas_devices n where n.id = v.id)
          on conflict (nas_id, hour) do update set
            requests = s.requests + excluded.requests, accepts = s.accepts + excluded.accepts, rejects = s.rejects + excluded.rejects,
            accounting = s.accounting + excluded.accounting, secret_mismatches = s.secret_mismatches + excluded.secret_mismatches,
            missing_message_authenticator = s.missing_message_authenticator + excluded.missing_message_authenticator,
            last_verified_at = greatest(s.last_verified_at, excluded.last_verified_at),
            last_mismatch_at = greatest(s.last_mismatch_at, excluded.last_mismatch_at)`);
        const seen = ids.filter((id) => tallies.get(id)!.lastAccountingAt !== null);
        if (seen.length) {
          // Accounting proves the NAS alive: last_seen moves, and a NAS polled by no heartbeat (no API) is online.
          await tx.execute(sql`
            update nas_devices n set last_seen = v.at,
              is_online = case when n.type = 'mikrotik' and n.api_username <> '' and n.api_password_enc <> '' then n.is_online else true end
            from unnest(${pgIntArray(seen)}::int4[], ${pgTextArray(seen.map((id) => new Date(tallies.get(id)!.lastAccountingAt!).toISOString()))}::timestamptz[]) as v(id, at)
            where n.id = v.id and (n.last_seen is null or n.last_seen < v.at)`);
        }
      });
    } catch (e) {
      for (const [id, t] of tallies) {
        const now = this.tallies.get(id);
        if (!now) this.tallies.set(id, t);
        else
          for (const k of Object.keys(t) as (keyof Tally)[])
            if (typeof t[k] === 'number' && !k.startsWith('last')) (now[k] as number) += t[k] as number;
      }
      throw e;
    }
  }
}
