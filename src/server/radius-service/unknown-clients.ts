import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { pgIntArray, pgTextArray } from '@/server/db/pg-array';

interface Sighting {
  nasIdentifier: string;
  nasIpAddress: string;
  packets: number;
  first: number;
  last: number;
}

/** Rows kept in radius_unknown_clients: the most recently seen win; a scan of the internet cannot grow it. */
export const UNKNOWN_CLIENTS_KEPT = 1000;

/**
 * Packets from addresses that are no NAS: dropped without a reply, as FreeRADIUS does, but remembered (source,
 * NAS-Identifier, NAS-IP-Address, first/last seen, count) so the NAS page can offer "Add as NAS". Aggregated in
 * memory (bounded too) and written every few seconds; the log says so at most once a second.
 */
export class UnknownClients {
  private sightings = new Map<string, Sighting>();
  private lastLog = 0;
  private suppressed = 0;

  constructor(private readonly log: (line: string) => void) {}

  record(source: string, nasIdentifier: string | undefined, nasIpAddress: string | undefined, at = Date.now()) {
    let s = this.sightings.get(source);
    if (!s) {
      if (this.sightings.size >= UNKNOWN_CLIENTS_KEPT) return;
      this.sightings.set(source, (s = { nasIdentifier: '', nasIpAddress: '', packets: 0, first: at, last: at }));
    }
    s.packets++;
    s.last = at;
    if (nasIdentifier) s.nasIdentifier = nasIdentifier.slice(0, 253);
    if (nasIpAddress) s.nasIpAddress = nasIpAddress.slice(0, 64);
    if (at - this.lastLog >= 1000) {
      const also = this.suppressed ? ` (and ${this.suppressed} more packets from unknown addresses since the last line)` : '';
      this.log(
        `[radius] ignoring a packet from ${source}: no NAS has this address${nasIdentifier ? ` (NAS-Identifier ${JSON.stringify(nasIdentifier)})` : ''}${also}`,
      );
      this.lastLog = at;
      this.suppressed = 0;
    } else this.suppressed++;
  }

  async flush(): Promise<void> {
    if (this.sightings.size === 0) return;
    const rows = [...this.sightings];
    this.sightings = new Map();
    const iso = (ms: number) => new Date(ms).toISOString();
    await db().transaction(async (tx) => {
      await tx.execute(sql`
        insert into radius_unknown_clients as u (source_ip, nas_identifier, nas_ip_address, first_seen, last_seen, packets)
        select v.ip::inet, v.ident, v.nasip, v.first, v.last, v.n
        from unnest(${pgTextArray(rows.map(([ip]) => ip))}::text[], ${pgTextArray(rows.map(([, s]) => s.nasIdentifier))}::text[],
                    ${pgTextArray(rows.map(([, s]) => s.nasIpAddress))}::text[], ${pgTextArray(rows.map(([, s]) => iso(s.first)))}::timestamptz[],
                    ${pgTextArray(rows.map(([, s]) => iso(s.last)))}::timestamptz[], ${pgIntArray(rows.map(([, s]) => s.packets))}::int8[])
             as v(ip, ident, nasip, first, last, n)
        on conflict (source_ip) do update set
          nas_identifier = case when excluded.nas_identifier <> '' then excluded.nas_identifier else u.nas_identifier end,
          nas_ip_address = case when excluded.nas_ip_address <> '' then excluded.nas_ip_address else u.nas_ip_address end,
          last_seen = greatest(u.last_seen, excluded.last_seen), packets = u.packets + excluded.packets`);
      await tx.execute(sql`
        delete from radius_unknown_clients where source_ip in (
          select source_ip from radius_unknown_clients order by last_seen desc offset ${UNKNOWN_CLIENTS_KEPT})`);
    });
  }
}
