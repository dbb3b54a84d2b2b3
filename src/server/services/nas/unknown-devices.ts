import { sql } from 'drizzle-orm';
import type { UnknownDevice } from '@/server/api/outputs/nas';
import { db } from '@/server/db/client';
import { toIso } from './nas-read-model';

/**
 * Devices that sent RADIUS packets from an address no NAS has (recorded by the RADIUS service, which dropped
 * them unanswered): a router whose source address differs from its NAS row, or one nobody added yet. Only for
 * users who see every NAS: the addresses say nothing of any reseller's scope.
 */
export async function listUnknownDevices(limit = 100): Promise<UnknownDevice[]> {
  const rows = await db().execute<{
    ip: string;
    nas_identifier: string;
    nas_ip_address: string;
    first_seen: string;
    last_seen: string;
    packets: string;
  }>(sql`
    select host(u.source_ip) as ip, u.nas_identifier, u.nas_ip_address, u.first_seen, u.last_seen, u.packets::text
    from radius_unknown_clients u
    where not exists (select 1 from nas_devices n where n.ip_address = u.source_ip)
    order by u.last_seen desc limit ${limit}`);
  return rows.map((r) => ({
    sourceIp: r.ip,
    nasIdentifier: r.nas_identifier,
    nasIpAddress: r.nas_ip_address,
    firstSeen: toIso(r.first_seen)!,
    lastSeen: toIso(r.last_seen)!,
    packets: Number(r.packets),
  }));
}
