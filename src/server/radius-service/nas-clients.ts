import { sql } from 'drizzle-orm';
import { canonicalIp } from '@/lib/ip-address';
import { db } from '@/server/db/client';
import { nasSecretBinding, readStored } from '@/server/services/nas/nas-secrets';

/** A NAS as the RADIUS service knows it: keyed by the address its packets come from. */
export interface NasClient {
  id: number;
  name: string;
  ip: string;
  /** Decrypted, in this process's memory only; '' when none is stored or it no longer decrypts. */
  secret: string;
  type: 'mikrotik' | 'generic';
  /** Lower-case realms without '@'; empty = any realm. */
  allowedRealms: string[];
  isActive: boolean;
  requireMessageAuthenticator: boolean;
  /** The NAS has API credentials: its online state follows the heartbeat, not accounting alone. */
  hasApi: boolean;
}

type NasRow = {
  id: number;
  name: string;
  ip: string;
  secret_enc: string;
  type: 'mikrotik' | 'generic';
  allowed_realms: string;
  is_active: boolean;
  require_message_authenticator: boolean;
  has_api: boolean;
};

const SELECT = sql`select id, name, host(ip_address) as ip, secret_enc, type, allowed_realms, is_active, require_message_authenticator,
  (type = 'mikrotik' and api_username <> '' and api_password_enc <> '') as has_api from nas_devices`;

function toClient(r: NasRow): NasClient {
  return {
    id: r.id,
    name: r.name,
    ip: canonicalIp(r.ip) ?? r.ip,
    secret: readStored(r.secret_enc, nasSecretBinding(r.id)) ?? '',
    type: r.type,
    allowedRealms: r.allowed_realms
      .split(',')
      .map((x) => x.trim().replace(/^@/, '').toLowerCase())
      .filter(Boolean),
    isActive: r.is_active,
    requireMessageAuthenticator: r.require_message_authenticator,
    hasApi: r.has_api,
  };
}

/**
 * Every NAS row is a client, keyed by its IP address. Rows are reloaded one by one as their change notifications
 * arrive (src/server/radius-service/live-reload.ts), and all at once on start, when the notifications may have been
 * missed, and as a periodic safety net.
 */
export class NasClients {
  private byIp = new Map<string, NasClient>();
  private byId = new Map<number, NasClient>();

  get size() {
    return this.byIp.size;
  }

  /** The client for a packet's source address (`::ffff:a.b.c.d` is the IPv4 address). */
  lookup(address: string): NasClient | undefined {
    return this.byIp.get(canonicalIp(address) ?? address);
  }

  all(): NasClient[] {
    return [...this.byIp.values()];
  }

  async reloadAll(): Promise<void> {
    const rows = await db().execute<NasRow>(SELECT);
    const byIp = new Map<string, NasClient>();
    const byId = new Map<number, NasClient>();
    for (const r of rows) {
      const c = toClient(r);
      byIp.set(c.ip, c);
      byId.set(c.id, c);
    }
    this.byIp = byIp;
    this.byId = byId;
  }

  async reloadOne(id: number): Promise<void> {
    const [r] = await db().execute<NasRow>(sql`${SELECT} where id = ${id}`);
    const old = this.byId.get(id);
    if (old) {
      this.byId.delete(id);
      if (this.byIp.get(old.ip) === old) this.byIp.delete(old.ip);
    }
    if (!r) return;
    const c = toClient(r);
    this.byIp.set(c.ip, c);
    this.byId.set(c.id, c);
  }
}
