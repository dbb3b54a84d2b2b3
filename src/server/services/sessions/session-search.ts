import { sql, type SQL } from 'drizzle-orm';
import { canonicalIp } from '@/lib/ip-address';
import { macSpellings } from '@/server/services/subscribers/subscriber-search';

/**
 * The Sessions page's search box, read as what it looks like (as on the Subscribers page): an IP address is a
 * Framed-IP, a MAC a Calling-Station-Id in any of the spellings routers use, anything else the start of a
 * username in any case. Each kind is one index lookup among the open sessions. `r` is radacct.
 */
export function sessionSearch(term: string): SQL {
  if (term === '') return sql`true`;
  const ip = canonicalIp(term);
  if (ip) return sql`r.framedipaddress = ${ip}::inet`;
  const macs = macSpellings(term);
  if (macs) {
    return sql`r.callingstationid in (${sql.join(
      macs.map((m) => sql`${m}`),
      sql`, `,
    )})`;
  }
  // radacct_open_username_prefix_idx: lower(username) text_pattern_ops over the open sessions.
  return sql`lower(r.username) like ${`${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
}
