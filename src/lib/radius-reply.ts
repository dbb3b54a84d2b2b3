/**
 * The reply attributes a subscriber gets, shared by the RADIUS service (what it sends) and the plan dialog (what
 * it previews), so the two cannot drift. Pure: no database, no Node APIs.
 */

/** What the reply reads of a plan (the RADIUS service's Plan and the plan form's values both fit). */
export type PlanReplyFields = {
  downloadKbps: number;
  uploadKbps: number;
  burstDownloadKbps: number | null;
  burstUploadKbps: number | null;
  burstThresholdDownloadKbps: number | null;
  burstThresholdUploadKbps: number | null;
  burstTimeS: number | null;
  filterId: string;
  framedPool: string;
  sessionTimeoutS: number | null;
  interimIntervalS: number | null;
};

/** `[name, value]` as the packet layer encodes them (vendor attributes by their dictionary names). */
export type ReplyAttribute = [name: string, value: string | number];

/**
 * What an Access-Accept carries, by NAS type (the documentation: "Type determines whether ProxPanel sends
 * MikroTik-Rate-Limit or the standard … attributes"):
 * - mikrotik: Mikrotik-Rate-Limit (rx/tx from the router's side: rx is the subscriber's upload), Framed-Pool,
 *   Session-Timeout, Acct-Interim-Interval.
 * - generic: Filter-Id (the plan's class-map / policy name, which the BNG must have configured) and
 *   WISPr-Bandwidth-Max-Up / -Down in bit/s. The documentation's "Framed-Bandwidth" is no RADIUS attribute; the
 *   WISPr pair is the vendor-neutral one Cisco, Juniper and Huawei BNGs and most hotspot gateways read, and
 *   Filter-Id carries everything a BNG's own policy names. Framed-Pool, Session-Timeout and the interim
 *   interval are standard and sent as well.
 * A static IP is Framed-IP-Address for both (it overrides Framed-Pool on a MikroTik).
 */
export function replyAttributes(
  nas: { type: 'mikrotik' | 'generic' },
  subscriber: { staticIp: string | null },
  plan: PlanReplyFields | undefined,
): ReplyAttribute[] {
  const out: ReplyAttribute[] = [];
  if (plan) {
    if (nas.type === 'mikrotik') out.push(['Mikrotik-Rate-Limit', mikrotikRateLimit(plan)]);
    else {
      if (plan.filterId) out.push(['Filter-Id', plan.filterId]);
      out.push(['WISPr-Bandwidth-Max-Up', plan.uploadKbps * 1000], ['WISPr-Bandwidth-Max-Down', plan.downloadKbps * 1000]);
    }
    if (plan.framedPool && !subscriber.staticIp) out.push(['Framed-Pool', plan.framedPool]);
    if (plan.sessionTimeoutS) out.push(['Session-Timeout', plan.sessionTimeoutS]);
    if (plan.interimIntervalS) out.push(['Acct-Interim-Interval', plan.interimIntervalS]);
  }
  if (subscriber.staticIp) out.push(['Framed-IP-Address', subscriber.staticIp]);
  return out;
}

/**
 * `rx/tx [rx-burst/tx-burst rx-threshold/tx-threshold rx-time/tx-time]`, rates in k. The router's rx is what
 * it receives from the subscriber (their upload), its tx what it sends them (their download).
 */
export function mikrotikRateLimit(plan: PlanReplyFields): string {
  let limit = pair(plan.uploadKbps, plan.downloadKbps);
  const { burstUploadKbps: bu, burstDownloadKbps: bd, burstThresholdUploadKbps: tu, burstThresholdDownloadKbps: td, burstTimeS: bt } = plan;
  if (bu && bd) {
    limit += ` ${pair(bu, bd)} ${pair(tu ?? plan.uploadKbps, td ?? plan.downloadKbps)} ${bt ?? 10}/${bt ?? 10}`;
  }
  return limit;
}

const pair = (up: number, down: number) => `${up}k/${down}k`;
