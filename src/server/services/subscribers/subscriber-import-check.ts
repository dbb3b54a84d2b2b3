import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import type { DbOrTx } from '@/server/db/client';
import { nasInScope } from '@/server/services/nas/nas-scope';
import { nasAllowedForReseller, planAllowedForReseller } from './subscriber-scope';

/** How many errors an import keeps for the UI; the count says how many there were in all. */
export const MAX_STORED_ERRORS = 1000;

export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportTarget {
  id: number;
  /** The reseller the subscribers will belong to (null: none, an admin's choice). */
  resellerId: number | null;
}

/**
 * What a staging row's password_enc holds when the password was refused while streaming (it is never stored
 * in the clear, so the dry run cannot look at it): '' empty, or one of these markers instead of a ciphertext.
 */
export const PASSWORD_REFUSED = { tooLong: '!too-long', control: '!control' } as const;

// C0/C1 controls, whitespace and the bidirectional overrides, as the subscriber form refuses them.
const BAD_USERNAME_CHARS = String.raw`[\s\x01-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]`;
const ENABLED_VALUES = sql`('', 'true', 'false', 'yes', 'no', '1', '0')`;

/** A value quoted in a message: at most 64 characters of it. */
const q = (col: SQL) => sql`'"' || left(${col}, 64) || case when char_length(${col}) > 64 then '…"' else '"' end`;

/**
 * The NAS named by each distinct `nas` value of the import (by IP when it is one, else by name, case-insensitive),
 * among the NAS the actor sees: `matches` > 1 is an ambiguous name, `allowed` whether the import's reseller may
 * put subscribers on it, `has_pools` whether its static IPs must come from its imported pools.
 */
export function nasMapSql(imp: ImportTarget, actor: Actor): SQL {
  return sql`select k.nas as key, count(d.id)::int as matches, min(d.id) as id, min(d.name) as name,
      bool_and(${nasAllowedForReseller(imp.resellerId, sql`d.id`)}) as allowed,
      bool_or(exists (select 1 from ip_pool_assignments a where a.nas_id = d.id)) as has_pools
    from (select distinct nas from subscriber_import_rows where import_id = ${imp.id}) k
    left join nas_devices d on (case when pg_input_is_valid(k.nas, 'inet') then d.ip_address = k.nas::inet else lower(d.name) = lower(k.nas) end)
      and ${nasInScope(actor, sql`d.id`)}
    group by k.nas`;
}

/** The plan named by each distinct `plan` value, and whether the import's reseller may offer it. */
export function planMapSql(imp: ImportTarget): SQL {
  return sql`select k.plan as key, p.id, ${planAllowedForReseller(imp.resellerId, sql`p.id`)} as allowed
    from (select distinct plan from subscriber_import_rows where import_id = ${imp.id}) k
    left join plans p on p.name = k.plan`;
}

/** A static IP as inet when it is one host address (not a network), else null. */
export const staticIpSql = (col: SQL) =>
  sql`case when pg_input_is_valid(${col}, 'inet') and masklen(${col}::inet) = case when family(${col}::inet) = 4 then 32 else 128 end then ${col}::inet end`;

/**
 * The dry run: every staging row checked in one set-based statement, as the subscriber form would check it one
 * by one. Returns the number of errors and the first MAX_STORED_ERRORS, in line order. Out-of-scope NAS and plans
 * read as unknown to someone who cannot see them; an admin importing for a reseller is told what is not its.
 */
export async function checkSubscriberImport(
  q0: DbOrTx,
  imp: ImportTarget,
  actor: Actor,
): Promise<{ count: number; errors: ImportRowError[] }> {
  const seesAll = actor.permissions.has('nas.all');
  const forReseller = imp.resellerId === null ? sql`''` : sql`(select ' to reseller ' || name from resellers where id = ${imp.resellerId})`;
  const planRefused = seesAll
    ? sql`'plan ' || ${q(sql`r.plan`)} || ' is not offered' || ${forReseller}`
    : sql`'no plan ' || ${q(sql`r.plan`)} || ' is offered to your reseller'`;
  const [row] = await q0.execute<{ count: number; errors: ImportRowError[] | null }>(sql`
    with nas_map as (${nasMapSql(imp, actor)}),
    plan_map as (${planMapSql(imp)}),
    r as (
      select s.line, s.username, s.password_enc, s.plan, s.nas, s.static_ip, s.enabled,
        ${staticIpSql(sql`s.static_ip`)} as ip,
        min(s.line) over (partition by s.username) as first_username_line,
        nm.matches as nas_matches, nm.id as nas_id, nm.name as nas_name, nm.allowed as nas_allowed, nm.has_pools,
        pm.id as plan_id, pm.allowed as plan_allowed
      from subscriber_import_rows s
      join nas_map nm on nm.key = s.nas
      join plan_map pm on pm.key = s.plan
      where s.import_id = ${imp.id}
    ),
    ips as (select r.*, min(r.line) over (partition by r.ip) as first_ip_line from r),
    errs as (
      select line, 'username' as field, 'username must be 1 to 64 characters without spaces or control characters' as message
        from r where char_length(username) not between 1 and 64 or username ~ ${BAD_USERNAME_CHARS}
      union all
      select line, 'username', 'username ' || ${q(sql`username`)} || ' appears already on line ' || first_username_line
        from r where line > first_username_line and username <> ''
      union all
      select line, 'username', 'username ' || ${q(sql`username`)} || ' is taken by an existing subscriber'
        from r where line = first_username_line and exists (select 1 from subscribers x where x.username = r.username)
      union all
      select line, 'password', case password_enc when '' then 'password is empty'
          when ${PASSWORD_REFUSED.tooLong} then 'password is longer than 128 bytes (RADIUS User-Password)'
          else 'password must not contain line breaks or other control characters' end
        from r where password_enc = '' or password_enc like '!%'
      union all
      select line, 'plan', case when plan = '' then 'plan is empty' when plan_id is null then 'no plan named ' || ${q(sql`plan`)} else ${planRefused} end
        from r where plan_id is null or not plan_allowed
      union all
      select line, 'nas', case when nas = '' then 'nas is empty: give the NAS name or IP'
          when nas_matches = 0 then 'no NAS ' || ${q(sql`nas`)} || ' (give its name or IP)'
          when nas_matches > 1 then nas_matches || ' NAS are named ' || ${q(sql`nas`)} || ': give its IP instead'
          else 'NAS ' || ${q(sql`nas`)} || ' is not assigned' || ${forReseller} end
        from r where nas_matches <> 1 or not nas_allowed
      union all
      select line, 'static_ip', 'static IP ' || ${q(sql`static_ip`)} || ' is not an IPv4 or IPv6 host address'
        from r where static_ip <> '' and ip is null
      union all
      select line, 'static_ip', 'static IP ' || host(ip) || ' appears already on line ' || first_ip_line
        from ips where ip is not null and line > first_ip_line
      union all
      select line, 'static_ip', 'static IP ' || host(ip) || ' is taken by another subscriber'
        from ips where ip is not null and line = first_ip_line and exists (select 1 from subscribers x where x.static_ip = ips.ip)
      union all
      select line, 'static_ip', 'static IP ' || host(ip) || ' is outside the imported pools of NAS ' || ${q(sql`nas_name`)}
        from r where ip is not null and nas_matches = 1 and has_pools
          and not exists (select 1 from ip_pool_assignments a where a.nas_id = r.nas_id and a.ip_address = r.ip)
      union all
      select line, 'enabled', 'enabled ' || ${q(sql`enabled`)} || ' must be true, false, yes, no, 1 or 0'
        from r where lower(enabled) not in ${ENABLED_VALUES}
    )
    select (select count(*)::int from errs) as count,
      (select json_agg(json_build_object('line', e.line, 'field', e.field, 'message', e.message) order by e.line, e.field)
        from (select * from errs order by line, field limit ${MAX_STORED_ERRORS}) e) as errors`);
  return { count: row.count, errors: row.errors ?? [] };
}
