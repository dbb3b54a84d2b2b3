import postgres from 'postgres';
import type { WorldSize } from './config';

/**
 * The ISP-scale world, generated inside PostgreSQL (generate_series, INSERT … SELECT): no row crosses the
 * wire. Big tables load in two halves on two connections (the machine has two cores), then one
 * VACUUM ANALYZE leaves the statistics and visibility map a long-running database would have.
 *
 * Layout: NAS #n answers from 127.0.100.0 + n; odd ids are MikroTiks with API credentials, pools of
 * `poolPerNas` addresses at 100.64.0.0 + n·4096; the first open-sessions-per-NAS addresses of each pool
 * are in use by the open radacct sessions of that NAS.
 */
export async function generateWorld(
  url: string,
  w: WorldSize,
  enc: (nasId: number) => { secret: string; apiPassword: string },
  log: (s: string) => void,
) {
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  const t0 = performance.now();
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    log(`  world: ${name} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  };
  // Each parallel part on its own reserved connection. Not synchronous_commit = off: right after an
  // asynchronous commit VACUUM cannot mark the pages all-visible, and index-only scans would not happen.
  const part = async (fn: (q: postgres.ReservedSql) => Promise<unknown>) => {
    const q = await sql.reserve();
    try {
      await q`set maintenance_work_mem = '256MB'`;
      await fn(q);
    } finally {
      q.release();
    }
  };
  const openPerNas = Math.floor(w.openSessions / w.nas);
  try {
    await step(`${w.resellers} resellers, ${w.nas} NAS, assignments`, () =>
      part(async (q) => {
        await q`insert into resellers (id, name, contact_email)
          select g, 'Reseller ' || lpad(g::text, 3, '0'), 'reseller' || g || '@bench.local' from generate_series(1, ${w.resellers}::int) g`;
        await q`select setval('resellers_id_seq', ${w.resellers}::int)`;
        await q`insert into nas_devices (id, name, short_name, ip_address, type, secret_enc, api_username, api_password_enc, api_port,
                                         is_online, last_seen, version, subscriber_pools)
          select g, 'bng-' || lpad(g::text, 4, '0'), 'b' || g, '127.0.100.0'::inet + g,
                 (case when g % 2 = 1 then 'mikrotik' else 'generic' end)::nas_type, '',
                 case when g % 2 = 1 then 'panel' else '' end, '', 8728,
                 true, now() - (g % 120) * interval '1 second', case when g % 2 = 1 then '7.14.3 (stable)' else '' end,
                 case when g % 2 = 1 then 'pppoe-' || g else '' end
          from generate_series(1, ${w.nas}::int) g`;
        await q`select setval('nas_devices_id_seq', ${w.nas}::int)`;
        // Secrets are sealed per row in JS (their ciphertexts are bound to the row), then set in one statement.
        const ids = Array.from({ length: w.nas }, (_, i) => i + 1);
        const sealed = ids.map(enc);
        await q`update nas_devices n set secret_enc = v.s, api_password_enc = case when n.id % 2 = 1 then v.a else '' end
          from unnest(${ids}::int4[], ${sealed.map((s) => s.secret)}::text[], ${sealed.map((s) => s.apiPassword)}::text[]) as v(id, s, a)
          where n.id = v.id`;
        await q`insert into reseller_nas (reseller_id, nas_id)
          select ((g - 1) / ${w.nasPerReseller}::int) + 1, g from generate_series(1, ${w.resellers * w.nasPerReseller}::int) g`;
        await q`insert into nas_pool_imports (nas_id, state, reason, generation, requested_at, started_at, finished_at, attempts, summary)
          select g, 'done', 'create', 1, now(), now(), now(), 1,
                 jsonb_build_object('addresses', ${w.poolPerNas}::int, 'added', ${w.poolPerNas}::int, 'updated', 0, 'removed', 0, 'inUse', ${openPerNas}::int, 'pppActive', 0)
          from generate_series(1, ${w.nas}::int, 2) g`;
      }),
    );
    const half = Math.floor(w.radacct / 2);
    await step(
      `${w.subscribers.toLocaleString('en')} subscribers, ${w.radacct.toLocaleString('en')} radacct (${w.openSessions.toLocaleString('en')} open), ${(w.mikrotik * w.poolPerNas).toLocaleString('en')} pool assignments`,
      () =>
        Promise.all([
          part(async (q) => {
            await radacct(q, w, 1, half);
            await q`insert into subscribers (username, reseller_id, nas_id, created_at)
              select 'sub' || lpad(g::text, 7, '0'), (g % ${w.resellers}::int) + 1, (g % ${w.nas}::int) + 1, now() - (g % 1000) * interval '1 day'
              from generate_series(1, ${w.subscribers}::int) g`;
          }),
          part(async (q) => {
            await radacct(q, w, half + 1, w.radacct);
            await q`insert into ip_pool_assignments (nas_id, pool_name, ip_address, status, username, updated_at)
              select k, 'pppoe-' || k, '100.64.0.0'::inet + (k::int8 * 4096 + i),
                     case when i <= ${openPerNas}::int then 'in_use' else 'available' end, null, now()
              from generate_series(1, ${w.nas}::int, 2) k, generate_series(1, ${w.poolPerNas}::int) i`;
          }),
        ]),
    );
    await step('vacuum analyze', () => sql.unsafe('vacuum (analyze)'));
    const [vm] = await sql`select relallvisible::float / greatest(relpages, 1) as share from pg_class where relname = 'radacct'`;
    if (Number(vm.share) < 0.9) throw new Error(`radacct is only ${Math.round(Number(vm.share) * 100)}% all-visible after VACUUM`);
    const [c] = await sql`select (select count(*) from nas_devices)::int as nas, (select count(*) from radacct)::int as radacct,
      (select count(*) from radacct where acctstoptime is null)::int as open, (select count(*) from subscribers)::int as subscribers,
      (select count(*) from ip_pool_assignments)::int as pool, (select count(*) from reseller_nas)::int as assigned`;
    log(`  world ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(c)}`);
    return { seconds: (performance.now() - t0) / 1000, counts: c as Record<string, number> };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** radacct rows `from`..`to`; the first `openSessions` ids are the open sessions, spread evenly over NAS. */
async function radacct(q: postgres.ReservedSql, w: WorldSize, from: number, to: number) {
  await q`insert into radacct (acctsessionid, acctuniqueid, username, realm, nasipaddress, nasportid, nasporttype,
                               acctstarttime, acctupdatetime, acctstoptime, acctinterval, acctsessiontime, acctauthentic,
                               acctinputoctets, acctoutputoctets, calledstationid, callingstationid, acctterminatecause,
                               servicetype, framedprotocol, framedipaddress)
    select to_hex(g), 'u' || lpad(g::text, 10, '0'), 'sub' || lpad(((g % ${w.subscribers}::int) + 1)::text, 7, '0'), '',
           '127.0.100.0'::inet + k, '<pppoe-' || (g % 5000) || '>', 'Virtual',
           st, case when open then now() - (g % 300) * interval '1 second' else st + dur end,
           case when open then null else st + dur end, 300,
           case when open then null else extract(epoch from dur)::int8 end, 'RADIUS',
           (g::int8 * 7919) % 4000000000, (g::int8 * 104729) % 40000000000, 'service-bench',
           upper(to_hex(2199023255552 + g)), case when open then null else 'User-Request' end, 'Framed-User', 'PPP',
           '100.64.0.0'::inet + (k::int8 * 4096 + case when open then (g - 1) / ${w.nas}::int + 1 else (g % ${w.poolPerNas}::int) + 1 end)
    from (
      select g, (g % ${w.nas}::int) + 1 as k, g <= ${w.openSessions}::int as open,
             now() - ((g::int8 * 7919) % (90 * 86400)) * interval '1 second' as st,
             ((g::int8 * 31) % 86400) * interval '1 second' as dur
      from generate_series(${from}::int, ${to}::int) g
    ) s`;
}
