import { sql } from 'drizzle-orm';
import { db, sqlClient } from '@/server/db/client';
import { decryptOptional, decryptVerifiedSecret, type SecretBinding } from '@/server/crypto/secret-box';
import { SubscriberTable, type PasswordCheck, type Subscriber, type SubscriberRow } from './subscriber-table';

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

/**
 * The subscriber's password in the clear, for one authentication; null when none is stored or it cannot be read.
 * A ciphertext already checked for this row (checkPassword) opens without the check: building a decipher was a
 * third of the CPU an Access-Request cost here.
 */
export function subscriberPassword(s: Subscriber): string | null {
  if (s.passwordCheck === 'fails') return null;
  if (s.passwordCheck === 'pending') return openInFull(s);
  try {
    return decryptVerifiedSecret(s.passwordEnc, subscriberPasswordBinding(s.id));
  } catch {
    return null;
  }
}

/** Decrypted with its tag and binding checked: a ciphertext copied from another row, or altered, gives null. */
function openInFull(s: SubscriberRow): string | null {
  try {
    return decryptOptional(s.passwordEnc, subscriberPasswordBinding(s.id)) || null;
  } catch {
    return null;
  }
}

const checkPassword = (s: SubscriberRow): PasswordCheck => (openInFull(s) === null ? 'fails' : 'opens');

export interface PasswordCheckReport {
  checked: number;
  fails: number;
  ms: number;
}

const SUBSCRIBER_COLUMNS = 'id, username, password_enc, is_active, nas_id, reseller_id, plan_id, host(static_ip) as static_ip';
type Row = {
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

const fromRow = (r: Row): SubscriberRow => ({
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
  private checking: Promise<PasswordCheckReport> = Promise.resolve({ checked: 0, fails: 0, ms: 0 });
  private walking = false;
  private walkAgain = false;

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

  /**
   * Streams every subscriber (a cursor: 500,000 rows never sit in one result) and every plan. The passwords of
   * new and changed rows are checked afterwards, in the background (passwordsChecked): 500,000 take about 7 s of CPU
   * here (a first load, or a key rotation), and the service should answer meanwhile. Until its row is checked,
   * a request checks the password itself.
   */
  async reloadAll(): Promise<void> {
    const generation = ++this.generation;
    // Sized once for what is coming (10% headroom for rows added later), rather than grown by doubling.
    const [size] = await sqlClient()<{ rows: number; bytes: number }[]>`
      select count(*)::int as rows, coalesce(sum(octet_length(password_enc)), 0)::float8 as bytes from subscribers`;
    this.table.reserve(Math.ceil(size.rows * 1.1), Math.ceil(size.bytes * 1.1));
    const cursor = sqlClient().unsafe<Row[]>(`select ${SUBSCRIBER_COLUMNS} from subscribers`).cursor(5000);
    let pending = 0;
    for await (const rows of cursor) for (const r of rows) if (this.apply(fromRow(r), generation, 'later')) pending++;
    // Rows the snapshot no longer holds were deleted.
    for (const slot of this.table.slots()) if (this.table.generation(slot) !== generation) this.table.remove(slot);
    await this.reloadPlans();
    if (pending > 0) this.checkInBackground();
  }

  /** The latest background check of passwords: how many, how many do not open, how long it took. */
  passwordsChecked(): Promise<PasswordCheckReport> {
    return this.checking;
  }

  private checkInBackground() {
    if (this.walking) this.walkAgain = true;
    else this.checking = this.checkPending();
  }

  /**
   * Checks every pending password, 250 rows (~3 ms) at a time so that requests and change notifications are
   * handled in between: with 2,000-row steps a NAS change took up to 205 ms to apply during the check after a start.
   */
  private async checkPending(): Promise<PasswordCheckReport> {
    this.walking = true;
    const report = { checked: 0, fails: 0, ms: 0 };
    const t = performance.now();
    try {
      do {
        this.walkAgain = false; // set when a reload leaves rows pending behind this walk
        await new Promise((r) => setImmediate(r)); // the reload's caller goes on first (the service starts listening)
        for (const slot of this.table.slots()) {
          if (this.table.passwordCheck(slot) !== 'pending') continue;
          const check = checkPassword(this.table.read(slot));
          this.table.setPasswordCheck(slot, check);
          report.checked++;
          if (check === 'fails') report.fails++;
          if (report.checked % 250 === 0) await new Promise((r) => setImmediate(r));
        }
      } while (this.walkAgain);
    } finally {
      this.walking = false;
    }
    report.ms = Math.round(performance.now() - t);
    return report;
  }

  /**
   * A row in: an unchanged one is only marked seen; a new or changed one has its password checked now (one row)
   * or left pending for the background check. True when it was left pending.
   */
  private apply(s: SubscriberRow, generation: number, check: 'now' | 'later'): boolean {
    const slot = this.table.slotOfId(s.id);
    if (slot >= 0 && this.table.holds(slot, s)) {
      this.table.setGeneration(slot, generation);
      return false;
    }
    if (slot >= 0) this.table.remove(slot);
    this.table.add(s, generation, check === 'now' ? checkPassword(s) : 'pending');
    return check === 'later';
  }

  async reloadSubscriber(id: number): Promise<void> {
    const [r] = await db().execute<Row>(sql`select ${sql.raw(SUBSCRIBER_COLUMNS)} from subscribers where id = ${id}`);
    if (r) this.apply(fromRow(r), this.generation, 'now');
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
