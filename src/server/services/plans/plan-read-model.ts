import { sql, type SQL } from 'drizzle-orm';
import type { PlanItem } from '@/server/api/outputs/plans';
import { toIso } from '@/server/services/nas/nas-read-model';

/**
 * A plan as the Services & Plans table shows it, for the plans picked by `page` (a CTE of ids): its default NAS,
 * the resellers that may offer it and its subscriber count, each read for the page's rows only. The count walks
 * subscribers_plan_idx (index-only); plans are few, so it stays one short scan per plan shown.
 */
export function planItemsSql(page: SQL): SQL {
  return sql`
    with page as (${page})
    select p.id, p.name, p.download_kbps as "downloadKbps", p.upload_kbps as "uploadKbps",
           p.burst_download_kbps as "burstDownloadKbps", p.burst_upload_kbps as "burstUploadKbps",
           p.burst_threshold_download_kbps as "burstThresholdDownloadKbps", p.burst_threshold_upload_kbps as "burstThresholdUploadKbps",
           p.burst_time_s as "burstTimeS", p.filter_id as "filterId", p.framed_pool as "framedPool",
           p.session_timeout_s as "sessionTimeoutS", p.interim_interval_s as "interimIntervalS", p.updated_at as "updatedAt",
           n.id as "defaultNasId", n.name as "defaultNasName",
           coalesce(r.resellers, '[]'::json) as resellers, c.n as "subscriberCount"
    from page
    join plans p on p.id = page.id
    left join nas_devices n on n.id = p.default_nas_id
    left join lateral (
      select json_agg(json_build_object('id', rs.id, 'name', rs.name) order by lower(rs.name), rs.id) as resellers
      from plan_resellers pr join resellers rs on rs.id = pr.reseller_id where pr.plan_id = p.id
    ) r on true
    cross join lateral (select count(*)::int as n from subscribers s where s.plan_id = p.id) c
    order by lower(p.name), p.id`;
}

export type PlanItemRow = Omit<PlanItem, 'defaultNas' | 'updatedAt'> & {
  defaultNasId: number | null;
  defaultNasName: string | null;
  updatedAt: string | Date;
};

export function toPlanItem(r: PlanItemRow): PlanItem {
  const { defaultNasId, defaultNasName, updatedAt, ...rest } = r;
  return {
    ...rest,
    defaultNas: defaultNasId === null ? null : { id: defaultNasId, name: defaultNasName ?? `NAS #${defaultNasId}` },
    updatedAt: toIso(updatedAt)!,
  };
}
