import { sql, type SQL } from 'drizzle-orm';
import { canonicalIp } from '@/lib/ip-address';

/** How long a closed session's MAC still finds its subscriber. */
const RECENT_SESSION_DAYS = 30;

/**
 * The one search box, read as what it looks like: an IP address finds the subscriber with that static IP or an
 * open session on it; a MAC finds the subscribers whose open or recent session came from it (Calling-Station-Id);
 * anything else is the start of a username. One kind per search, so each is an index lookup rather than a scan of
 * every subscriber for the union of three conditions. `s` is the subscribers alias.
 */
export function subscriberSearch(term: string): SQL {
  if (term === '') return sql`true`;
  const ip = canonicalIp(term);
  if (ip) {
    return sql`s.id in (
      select s2.id from subscribers s2 where s2.static_ip = ${ip}::inet
      union
      select s2.id from radacct r join subscribers s2 on s2.username = r.username
      where r.framedipaddress = ${ip}::inet and r.acctstoptime is null)`;
  }
  const macs = macSpellings(term);
  if (macs) {
    return sql`s.username in (
      select r.username from radacct r
      where r.callingstationid in (${sql.join(
        macs.map((m) => sql`${m}`),
        sql`, `,
      )})
        and (r.acctstoptime is null or r.acctstarttime > now() - make_interval(days => ${RECENT_SESSION_DAYS})))`;
  }
  // The start of a username, case-insensitive: a range on subscribers_username_prefix_idx. (A part anywhere in
  // it would be a scan of every subscriber: 300 ms at 500,000.)
  return sql`lower(s.username) like ${`${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
}

/**
 * A MAC written with separators (bare hex could be a username), as routers spell it in Calling-Station-Id (MikroTik AA:BB:…, others aa-bb-…, Cisco aabb.ccdd.eeff), or
 * null when `term` is no MAC. Listing the spellings keeps the lookup an index equality.
 */
export function macSpellings(term: string): string[] | null {
  const t = term.trim();
  if (!/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(t) && !/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(t)) {
    return null;
  }
  const hex = t.replace(/[^0-9a-f]/gi, '');
  const out = new Set<string>();
  for (const h of [hex.toUpperCase(), hex.toLowerCase()]) {
    const p = h.match(/../g)!;
    out.add(p.join(':'));
    out.add(p.join('-'));
    out.add(h.match(/..../g)!.join('.'));
    out.add(h);
  }
  return [...out];
}
