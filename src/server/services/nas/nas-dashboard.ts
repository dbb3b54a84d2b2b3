import { sql } from 'drizzle-orm';
import type { NasDashboard } from '@/server/api/outputs/nas-dashboard';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { NotFoundError } from '@/server/errors';
import { nasInScope } from './nas-scope';
import { SESSION_SAMPLE_INTERVAL_MS } from './session-samples';

type Row = {
  id: number;
  current: number;
  sampling_since: string | Date | null;
  samples: { at: string; open: number }[];
  pools: { name: string; size: number; inUse: number }[];
  radius_last_hour: string | Date | null;
  radius: { hour: string; requests: number; accepts: number; rejects: number; accounting: number; secretMismatches: number }[];
};

const iso = (t: string | Date) => new Date(t).toISOString();

/**
 * Every series of the NAS dashboard in one statement, the reseller scope in its WHERE (out of scope = not found).
 * Each series is an index-backed read of a small table: samples by (nas_id, at), RADIUS hours by (nas_id, hour),
 * pools by (nas_id, pool_name, status), the live count by address. radacct itself is never scanned.
 */
export async function getNasDashboard(actor: Actor, id: number): Promise<NasDashboard> {
  const [r] = await db().execute<Row>(sql`
    with n as (select nd.id, nd.ip_address from nas_devices nd where nd.id = ${id} and ${nasInScope(actor, sql`nd.id`)})
    select n.id,
      coalesce((select c.open from nas_session_counts c where c.nasipaddress = n.ip_address), 0) as current,
      (select min(s.at) from nas_session_samples s where s.nas_id = n.id) as sampling_since,
      coalesce((
        select json_agg(json_build_object('at', s.at, 'open', s.open) order by s.at)
        from nas_session_samples s where s.nas_id = n.id and s.at > now() - interval '24 hours'), '[]') as samples,
      coalesce((
        select json_agg(json_build_object('name', p.pool_name, 'size', p.size, 'inUse', p.in_use) order by p.pool_name)
        from (select a.pool_name, count(*)::int as size, (count(*) filter (where a.status = 'in_use'))::int as in_use
              from ip_pool_assignments a where a.nas_id = n.id group by a.pool_name) p), '[]') as pools,
      (select max(st.hour) from nas_radius_stats st where st.nas_id = n.id) as radius_last_hour,
      (select json_agg(json_build_object('hour', h.hour, 'requests', coalesce(st.requests, 0), 'accepts', coalesce(st.accepts, 0),
                'rejects', coalesce(st.rejects, 0), 'accounting', coalesce(st.accounting, 0),
                'secretMismatches', coalesce(st.secret_mismatches, 0)) order by h.hour)
       from generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') h(hour)
       left join nas_radius_stats st on st.nas_id = n.id and st.hour = h.hour) as radius
    from n`);
  if (!r) throw new NotFoundError(`NAS #${id}`);
  return {
    nasId: r.id,
    currentSessions: r.current,
    sessions: {
      samplingSince: r.sampling_since === null ? null : iso(r.sampling_since),
      sampleIntervalMs: SESSION_SAMPLE_INTERVAL_MS,
      points: r.samples.map((s) => ({ at: iso(s.at), open: s.open })),
    },
    pools: r.pools,
    radius: {
      lastHour: r.radius_last_hour === null ? null : iso(r.radius_last_hour),
      hours: r.radius.map((h) => ({ ...h, hour: iso(h.hour) })),
    },
  };
}
