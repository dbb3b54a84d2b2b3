import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';

/** How often each NAS's open-session count is sampled, and how long samples are kept (the chart shows 24 h). */
export const SESSION_SAMPLE_INTERVAL_MS = 5 * 60_000;
export const SESSION_SAMPLE_RETENTION_HOURS = 25;

/**
 * Records every NAS's open-session count now, from nas_session_counts (kept exact by radacct's trigger), and
 * prunes samples past the retention. The sample's time is the start of its interval slot, so a second writer
 * in the same slot (a process whose job_runs check raced) adds nothing: once per slot, whatever happens.
 * Why sample rather than count radacct: "open at time t" over 24 h is a range scan of every session that
 * overlapped the day (millions of rows, their open ones rewritten by every interim update), per chart load;
 * a sample is one row per NAS every 5 minutes, and the chart reads at most 289 of them.
 */
export async function sampleNasSessions(opts: { now?: Date; intervalMs?: number } = {}): Promise<{ sampled: number; pruned: number }> {
  const now = opts.now ?? new Date();
  const intervalMs = opts.intervalMs ?? SESSION_SAMPLE_INTERVAL_MS;
  const slot = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
  return db().transaction(async (tx) => {
    const inserted = await tx.execute(sql`
      insert into nas_session_samples (nas_id, at, open)
      select n.id, ${slot.toISOString()}::timestamptz, coalesce(c.open, 0)
      from nas_devices n left join nas_session_counts c on c.nasipaddress = n.ip_address
      on conflict (nas_id, at) do nothing`);
    const pruned = await tx.execute(sql`
      delete from nas_session_samples
      where at < ${now.toISOString()}::timestamptz - make_interval(hours => ${SESSION_SAMPLE_RETENTION_HOURS})`);
    return { sampled: inserted.count ?? 0, pruned: pruned.count ?? 0 };
  });
}
