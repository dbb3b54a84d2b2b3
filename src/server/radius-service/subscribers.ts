import { sql } from 'drizzle-orm';
import { db, sqlClient } from '@/server/db/client';
import { decryptOptional, type SecretBinding } from '@/server/crypto/secret-box';
import { SubscriberTable, type Subscriber } from './subscriber-table';

export type { Subscriber } from './subscriber-table';

export type Plan = {
  id: number;
  name: string;
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

export const subscriberPasswordBinding = (id: number): SecretBinding => ({ table: 'subscribers', column: 'password_enc', id });

/** The subscriber's password in the clear, for one authentication; null when none is stored or it cannot be read. */
export function subscriberPassword(s: Subscriber): string | null {
  try {
    const p = decryptOptional(s.passwordEnc, subscriberPasswordBinding(s.id));
    return p === '' ? null : p;
  } catch {
    return null;
  }
}

const SUBSCRIBER_COLUMNS = 'id, username, password_enc, is_active, nas_id, reseller_id, plan_id, host(static_ip) as static_ip';
type SubscriberRow = {
  id: number;
  username: string;
  password_enc: string;
  is_active: boolean;
  nas_id: number | null;
  reseller_id: number | null;
  plan_id: number | null;
  static_ip: string | null;
};

const PLAN_SELECT = sql`select id, name, download_kbps as "downloadKbps", upload_kbps as "uploadKbps", burst_download_kbps as "burstDownloadKbps",
  burst_upload_kbps as "burstUploadKbps", burst_threshold_download_kbps as "burstThresholdDownloadKbps",
  burst_threshold_upload_kbps as "burstThresholdUploadKbps", burst_time_s as "burstTimeS", filter_id as "filterId",
  framed_pool as "framedPool", session_timeout_s as "sessionTimeoutS", interim_interval_s as "interimIntervalS" from plans`;

const fromRow = (r: SubscriberRow): Subscriber => ({
  id: r.id,
  username: r.username,
  passwordEnc: r.password_enc,
  isActive: r.is_active,
  nasId: r.nas_id,
  resellerId: r.reseller_id,
  planId: r.plan_id,
  staticIp: r.static_ip,
});

/**
 * Subscribers and plans in memory, so an Access-Request costs no database round trip (FreeRADIUS asks its SQL
 * for every request). Kept current like the NAS rows: per-row notifications, a full reload when a statement
 * changed many rows, on start and periodically.
 *
 * The subscribers sit in a compact column table (subscriber-table.ts). A full reload updates it in place and
 * leaves unchanged rows untouched: building a second table beside the first would double the process's memory
 * on every safety-net reload. The live-reload chain runs reloads one at a time, so none interleaves with this.
 */
export class SubscriberDirectory {
  private table = new SubscriberTable();
  private plans = new Map<number, Plan>();
  private generation = 0;

  get size() {
    return this.table.size;
  }

  /** Password ciphertext bytes held, for tests that a reload of unchanged rows stores nothing again. */
  get storedBytes() {
    return this.table.arenaStats.used;
  }

  find(username: string): Subscriber | undefined {
    const slot = this.table.slotOfName(username);
    return slot < 0 ? undefined : this.table.read(slot);
  }

  plan(id: number | null): Plan | undefined {
    return id === null ? undefined : this.plans.get(id);
  }

  /** Streams every subscriber (a cursor: 500,000 rows never sit in one result) and every plan. */
  async reloadAll(): Promise<void> {
    const generation = ++this.generation;
    // Sized once for what is coming (10% headroom for rows added later), rather than grown by doubling.
    const [size] = await sqlClient()<{ rows: number; bytes: number }[]>`
      select count(*)::int as rows, coalesce(sum(octet_length(password_enc)), 0)::float8 as bytes from subscribers`;
    this.table.reserve(Math.ceil(size.rows * 1.1), Math.ceil(size.bytes * 1.1));
    const cursor = sqlClient().unsafe<SubscriberRow[]>(`select ${SUBSCRIBER_COLUMNS} from subscribers`).cursor(5000);
    for await (const rows of cursor) for (const r of rows) this.apply(fromRow(r), generation);
    // Rows the snapshot no longer holds were deleted.
    for (const slot of this.table.slots()) if (this.table.generation(slot) !== generation) this.table.remove(slot);
    await this.reloadPlans();
  }

  private apply(s: Subscriber, generation: number) {
    const slot = this.table.slotOfId(s.id);
    if (slot >= 0 && this.table.holds(slot, s)) {
      this.table.setGeneration(slot, generation);
      return;
    }
    if (slot >= 0) this.table.remove(slot);
    this.table.add(s, generation);
  }

  async reloadSubscriber(id: number): Promise<void> {
    const [r] = await db().execute<SubscriberRow>(sql`select ${sql.raw(SUBSCRIBER_COLUMNS)} from subscribers where id = ${id}`);
    if (r) this.apply(fromRow(r), this.generation);
    else {
      const slot = this.table.slotOfId(id);
      if (slot >= 0) this.table.remove(slot);
    }
  }

  async reloadPlan(id: number): Promise<void> {
    const [p] = await db().execute<Plan>(sql`${PLAN_SELECT} where id = ${id}`);
    if (p) this.plans.set(id, p);
    else this.plans.delete(id);
  }

  async reloadPlans(): Promise<void> {
    const plans = new Map<number, Plan>();
    for (const p of await db().execute<Plan>(PLAN_SELECT)) plans.set(p.id, p);
    this.plans = plans;
  }
}
