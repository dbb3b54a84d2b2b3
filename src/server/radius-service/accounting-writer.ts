import type postgres from 'postgres';
import { sqlClient } from '@/server/db/client';
import { pgNullableArray } from '@/server/db/pg-array';
import { AcctStatus, type AccountingRecord } from './accounting-record';
import type { NasClient } from './nas-clients';

interface Pending {
  nas: NasClient;
  record: AccountingRecord;
  done: (error: Error | null) => void;
}

/**
 * Accounting into radacct with FreeRADIUS's PostgreSQL semantics (mods-config/sql/main/postgresql/queries.conf),
 * committed before the reply, in groups: packets that arrive within `batchMs` share one transaction and one
 * commit (one fsync instead of one per packet), and each kind of packet in a group is one set-based statement
 * over `unnest` arrays (every Interim-Update of the group in one upsert), which is where the throughput comes
 * from. A group that fails is retried packet by packet, so one bad packet costs only its own reply (its NAS
 * retransmits it), never its neighbours'.
 *
 * Groups start at most every `spacingMs`. Under a steady trickle (700 Interim-Updates/s is 200,000 sessions
 * every 5 min) a 5 ms window made groups of two or three packets, and a group's fixed cost (two round trips to
 * PostgreSQL, each a socket write and a wake-up on both sides, plus the commit) dominated: the trickle took
 * about 45 % of a core between this process and PostgreSQL. Spaced 20 ms apart the groups are several times
 * larger, and with BEGIN pipelined (`inTransaction`) the same trickle costs ~20 %, for ~10 ms more latency (a
 * NAS waits seconds).
 * Under heavy load a commit takes longer than the spacing anyway, so nothing waits there.
 */
export class AccountingWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private committing: Promise<void> | null = null;
  private closed = false;
  private lastStart = -Infinity;
  /** Groups committed so far (tests; a measure of how well the packets were grouped). */
  groups = 0;

  constructor(
    private readonly opts: {
      batchMs: number;
      batchMax: number;
      /** The least time from one group's start to the next's (0: as soon as the previous one returns). */
      spacingMs?: number;
      log: (line: string) => void;
      sql?: () => postgres.Sql;
    },
  ) {}

  /** Resolves once the packet's effects are committed; rejects when they could not be. */
  write(nas: NasClient, record: AccountingRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the accounting writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ nas, record, done: (e) => (e ? reject(e) : resolve()) });
      if (this.queue.length >= this.opts.batchMax) this.kick();
      else if (!this.timer && !this.committing) this.kickIn(Math.max(this.opts.batchMs, this.untilSpaced()));
    });
  }

  /** Commits what is queued and refuses new packets. */
  async close(): Promise<void> {
    this.closed = true;
    this.kick();
    while (this.committing) await this.committing;
  }

  private untilSpaced() {
    return (this.opts.spacingMs ?? 0) - (performance.now() - this.lastStart);
  }

  private kickIn(ms: number) {
    if (ms <= 0) return this.kick();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), ms);
  }

  /**
   * Starts a group with everything queued, unless one is being committed: then the queue keeps growing and is
   * taken whole when that commit returns (at once, or once the spacing has passed). One commit at a time, each
   * as large as the wait made it, is group commit's point (small groups chained behind each other would each
   * pay their own fsync).
   */
  private kick() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.committing || this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    this.lastStart = performance.now();
    this.groups++;
    this.committing = this.commit(batch).finally(() => {
      this.committing = null;
      if (this.queue.length === 0) return;
      if (this.closed || this.queue.length >= this.opts.batchMax) this.kick();
      else this.kickIn(this.untilSpaced());
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    const sql = (this.opts.sql ?? sqlClient)();
    try {
      await inTransaction(sql, (tx) => applyGroup(tx, batch));
      for (const p of batch) p.done(null);
    } catch (groupError) {
      if (batch.length === 1) {
        batch[0].done(groupError as Error);
        return;
      }
      for (const p of batch) {
        try {
          await inTransaction(sql, (tx) => applyGroup(tx, [p]));
          p.done(null);
        } catch (e) {
          this.opts.log(`[radius] accounting from NAS ${p.nas.name} (${p.nas.ip}) not stored: ${(e as Error).message.split('\n')[0]}`);
          p.done(e as Error);
        }
      }
    }
  }
}

/**
 * `fn`'s statements in one transaction, with BEGIN sent together with them rather than as a round trip of its
 * own (postgres.js's `sql.begin` waits for BEGIN's reply before running anything). postgres.js pipelines what
 * is queued on one connection and PostgreSQL runs it in order, so the statements still run inside the
 * transaction; a group then costs two round trips (BEGIN + statements, COMMIT) instead of three. At 700
 * Interim-Updates/s that is a hundred-odd groups a second, and each round trip is a write to PostgreSQL's
 * socket and a wake-up on both sides, the largest single cost of a small group (docs/BENCHMARKS.md, figure 12).
 * Any failure rolls the whole group back.
 */
export async function inTransaction(sql: postgres.Sql, fn: (tx: postgres.Sql) => Promise<void>): Promise<void> {
  const conn = await sql.reserve();
  try {
    // postgres.js sends a query when it is awaited or executed: BEGIN goes first, before any of fn's statements.
    const begun = conn`begin`.execute();
    try {
      await fn(conn);
      await begun;
    } catch (e) {
      // Statements after a failed one fail too (the transaction is aborted); ROLLBACK queues behind them.
      await begun.catch(() => {});
      // A connection that broke takes its transaction with it: the ROLLBACK's own error would only hide `e`.
      await conn`rollback`.catch(() => {});
      throw e;
    }
    await conn`commit`;
  } finally {
    conn.release();
  }
}

/**
 * A group's effects. Packets of one session must apply in arrival order, and so must everything around an
 * Accounting-On/Off (it closes every open session of its NAS): the group is cut into parts where no session
 * appears twice and On/Off stand alone. Within a part the sessions are distinct, so order does not matter
 * between them, and each kind is one statement: Stops (freeing addresses), then Starts, then Interim-Updates.
 */
async function applyGroup(tx: postgres.Sql, batch: readonly Pending[]): Promise<void> {
  for (const part of independentParts(batch)) await Promise.all(partStatements(tx, part));
}

function independentParts(batch: readonly Pending[]): Pending[][] {
  const parts: Pending[][] = [];
  let current: Pending[] = [];
  let sessions = new Set<string>();
  const cut = () => {
    if (current.length) parts.push(current);
    current = [];
    sessions = new Set();
  };
  for (const p of batch) {
    const { statusType, uniqueId } = p.record;
    if (statusType === AcctStatus.AccountingOn || statusType === AcctStatus.AccountingOff) {
      cut();
      parts.push([p]);
      continue;
    }
    if (sessions.has(uniqueId)) cut();
    sessions.add(uniqueId);
    current.push(p);
  }
  cut();
  return parts;
}

function partStatements(tx: postgres.Sql, part: readonly Pending[]): Promise<unknown>[] {
  const of = (status: number) => part.filter((p) => p.record.statusType === status);
  const stops = of(AcctStatus.Stop);
  const starts = of(AcctStatus.Start);
  const interims = of(AcctStatus.InterimUpdate);
  const addressed = (ps: Pending[]) => ps.filter((p) => p.record.framedIp);
  const out: Promise<unknown>[] = [];
  for (const p of part) {
    if (p.record.statusType === AcctStatus.AccountingOn || p.record.statusType === AcctStatus.AccountingOff) out.push(closeAll(tx, p));
  }
  if (stops.length) {
    out.push(upsertStops(tx, stops));
    if (addressed(stops).length) out.push(markAvailable(tx, addressed(stops)));
  }
  if (starts.length) {
    out.push(closeSuperseded(tx, starts), retireReusedIds(tx, starts), insertStarts(tx, starts));
    if (addressed(starts).length) out.push(markInUse(tx, addressed(starts)));
  }
  if (interims.length) {
    out.push(upsertInterims(tx, interims));
    if (addressed(interims).length) out.push(markInUse(tx, addressed(interims)));
  }
  return out;
}

type Value = string | number | null;
type Column = readonly [name: string, type: string, value: (p: Pending) => Value];

const iso = (d: Date) => d.toISOString();
/** Start: the event; an Interim or Stop whose Start was lost: the event minus Acct-Session-Time. */
const sessionStart = (r: AccountingRecord) =>
  r.statusType === AcctStatus.Start ? r.eventTime : new Date(r.eventTime.getTime() - (r.sessionTime ?? 0) * 1000);

/** Columns written when a packet opens a row (Start, or an Interim / Stop whose Start was lost). */
const OPENING: readonly Column[] = [
  ['acctsessionid', 'text', (p) => p.record.sessionId],
  ['acctuniqueid', 'text', (p) => p.record.uniqueId],
  ['username', 'text', (p) => p.record.userName],
  ['realm', 'text', (p) => p.record.realm],
  ['nasipaddress', 'inet', (p) => p.nas.ip],
  ['nasportid', 'text', (p) => p.record.nasPortId],
  ['nasporttype', 'text', (p) => p.record.nasPortType],
  ['acctstarttime', 'timestamptz', (p) => iso(sessionStart(p.record))],
  ['acctupdatetime', 'timestamptz', (p) => iso(p.record.eventTime)],
  ['acctauthentic', 'text', (p) => p.record.acctAuthentic],
  ['connectinfo_start', 'text', (p) => p.record.connectInfo],
  ['calledstationid', 'text', (p) => p.record.calledStationId],
  ['callingstationid', 'text', (p) => p.record.callingStationId],
  ['servicetype', 'text', (p) => p.record.serviceType],
  ['framedprotocol', 'text', (p) => p.record.framedProtocol],
  ['framedipaddress', 'inet', (p) => p.record.framedIp],
  ['framedipv6address', 'inet', (p) => p.record.framedIpv6Address],
  ['framedipv6prefix', 'inet', (p) => p.record.framedIpv6Prefix],
  ['framedinterfaceid', 'text', (p) => p.record.framedInterfaceId],
  ['delegatedipv6prefix', 'inet', (p) => p.record.delegatedIpv6Prefix],
  ['class', 'text', (p) => p.record.class],
];
const COUNTERS: readonly Column[] = [
  ['acctsessiontime', 'int8', (p) => p.record.sessionTime],
  ['acctinputoctets', 'int8', (p) => p.record.inputOctets],
  ['acctoutputoctets', 'int8', (p) => p.record.outputOctets],
];
const CLOSING: readonly Column[] = [
  ['acctstoptime', 'timestamptz', (p) => iso(p.record.eventTime)],
  ['acctterminatecause', 'text', (p) => p.record.terminateCause],
  ['connectinfo_stop', 'text', (p) => p.record.connectInfo],
];

/**
 * `insert into radacct (…) select * from unnest($1::text[], …)`: one statement and one parameter per column,
 * however many packets. The statement text depends only on the columns, so PostgreSQL sees few distinct ones.
 */
function insertRows(tx: postgres.Sql, columns: readonly Column[], rows: readonly Pending[], onConflict: string) {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return tx.unsafe(
    `insert into radacct (${names}) select * from unnest(${arrays}) on conflict (acctuniqueid) ${onConflict}`,
    columns.map(([, , value]) => pgNullableArray(rows.map(value))),
    // Prepared (postgres.js's default is not, for unsafe): an unprepared statement with parameters costs a
    // round trip to describe it first and stops the pipeline behind it.
    { prepare: true },
  );
}

/** Start: new rows; the same session started again (a retransmitted Start) only refreshes an open row. */
function insertStarts(tx: postgres.Sql, starts: readonly Pending[]) {
  return insertRows(
    tx,
    OPENING,
    starts,
    `do update set acctstarttime = excluded.acctstarttime, acctupdatetime = excluded.acctupdatetime,
      connectinfo_start = excluded.connectinfo_start
    where radacct.acctstoptime is null`,
  );
}

/**
 * `update radacct … from unnest(…)`: the open rows of these sessions, with only the columns the packets change
 * (an Interim-Update sends 7 arrays this way instead of the 24 an upsert needs). Returns how many rows changed:
 * the sessions in one part are distinct and acctuniqueid is unique, so fewer than the packets means some row
 * was missing (its Start was lost) or already closed.
 */
async function updateOpenRows(tx: postgres.Sql, columns: readonly Column[], rows: readonly Pending[], set: string) {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const result = await tx.unsafe(
    `update radacct r set ${set} from unnest(${arrays}) as v(${names})
      where r.acctuniqueid = v.acctuniqueid and r.acctstoptime is null`,
    columns.map(([, , value]) => pgNullableArray(rows.map(value))),
    { prepare: true },
  );
  return result.count;
}

const UNIQUE_ID: Column = ['acctuniqueid', 'text', (p) => p.record.uniqueId];
const UPDATE_TIME: Column = ['acctupdatetime', 'timestamptz', (p) => iso(p.record.eventTime)];
const FRAMED_IP: Column = ['framedipaddress', 'inet', (p) => p.record.framedIp];
const NEW_COUNTERS = `acctsessiontime = v.acctsessiontime, acctinputoctets = v.acctinputoctets, acctoutputoctets = v.acctoutputoctets,
  framedipaddress = coalesce(v.framedipaddress, r.framedipaddress)`;

/**
 * Interim-Update: the open rows' counters. A row whose Start was lost is created from its packet (its start is
 * the event time minus Acct-Session-Time), and a closed row is left alone: FreeRADIUS's update-then-insert. The
 * insert, with every column, is sent only when the update found fewer rows than packets — rarely, so the
 * common group ships and parses a third of the data an upsert would.
 */
async function upsertInterims(tx: postgres.Sql, interims: readonly Pending[]) {
  const updated = await updateOpenRows(
    tx,
    [UNIQUE_ID, UPDATE_TIME, ...COUNTERS, FRAMED_IP],
    interims,
    `acctupdatetime = v.acctupdatetime,
      acctinterval = greatest(0, extract(epoch from v.acctupdatetime - coalesce(r.acctupdatetime, r.acctstarttime)))::bigint,
      ${NEW_COUNTERS}`,
  );
  if (updated < interims.length) await insertRows(tx, [...OPENING, ...COUNTERS], interims, 'do nothing');
}

/** Stop: closes the open rows; a Stop without one stores the closed session it describes (same two steps). */
async function upsertStops(tx: postgres.Sql, stops: readonly Pending[]) {
  const updated = await updateOpenRows(
    tx,
    [UNIQUE_ID, UPDATE_TIME, ...COUNTERS, FRAMED_IP, ...CLOSING],
    stops,
    `acctstoptime = v.acctstoptime, acctupdatetime = v.acctupdatetime, ${NEW_COUNTERS},
      acctterminatecause = v.acctterminatecause, connectinfo_stop = v.connectinfo_stop`,
  );
  if (updated < stops.length) await insertRows(tx, [...OPENING, ...COUNTERS, ...CLOSING], stops, 'do nothing');
}

const column = (ps: readonly Pending[], value: (p: Pending) => Value) => pgNullableArray(ps.map(value));

/**
 * A router that lost a session's Stop (a reboot, a lost packet) sends the next Start for the same subscriber from
 * the same device: the old row is closed then, which FreeRADIUS leaves to the operator. Same NAS, user and
 * Calling-Station-Id (the client's MAC) is that subscriber's device reconnecting.
 */
function closeSuperseded(tx: postgres.Sql, starts: readonly Pending[]) {
  return tx`update radacct r set acctstoptime = v.at, acctupdatetime = v.at,
      acctsessiontime = greatest(0, extract(epoch from v.at - r.acctstarttime))::bigint, acctterminatecause = 'Lost-Carrier'
    from unnest(${column(starts, (p) => p.nas.ip)}::inet[], ${column(starts, (p) => p.record.userName)}::text[],
                ${column(starts, (p) => p.record.callingStationId ?? '')}::text[], ${column(starts, (p) => p.record.uniqueId)}::text[],
                ${column(starts, (p) => iso(p.record.eventTime))}::timestamptz[]) as v(nas, username, device, uid, at)
    where r.acctstoptime is null and r.username = v.username and r.nasipaddress = v.nas and r.callingstationid = v.device
      and r.acctuniqueid <> v.uid and r.acctstarttime < v.at`;
}

/**
 * A router that rebooted may number its sessions from the beginning again, so a new session's Start can carry
 * the unique id of a closed one (same user, Acct-Session-Id and port). FreeRADIUS's upsert then changes nothing
 * and the new session is never stored; here the closed row keeps its history under `<id>.<radacctid>` and the
 * new session opens. A Start that is not later than the closed row's stop is that session's own, late.
 */
function retireReusedIds(tx: postgres.Sql, starts: readonly Pending[]) {
  return tx`update radacct r set acctuniqueid = r.acctuniqueid || '.' || r.radacctid
    from unnest(${column(starts, (p) => p.record.uniqueId)}::text[], ${column(starts, (p) => iso(p.record.eventTime))}::timestamptz[]) as v(uid, at)
    where r.acctuniqueid = v.uid and r.acctstoptime is not null and r.acctstoptime < v.at`;
}

/** Accounting-On / Off: the NAS restarted or stops: every session still open on it is over. */
function closeAll(tx: postgres.Sql, p: Pending) {
  const at = iso(p.record.eventTime);
  return tx`update radacct set acctstoptime = ${at}, acctupdatetime = ${at},
      acctsessiontime = greatest(0, extract(epoch from ${at}::timestamptz - acctstarttime))::bigint,
      acctterminatecause = ${p.record.terminateCause ?? 'NAS-Reboot'}
    where nasipaddress = ${p.nas.ip}::inet and acctstoptime is null and acctstarttime <= ${at}`;
}

/** Pool usage between Syncs: a session's address is in use from its Start (or an Interim whose Start was lost)… */
function markInUse(tx: postgres.Sql, ps: readonly Pending[]) {
  return tx`update ip_pool_assignments a set status = 'in_use', username = v.username, updated_at = now()
    from unnest(${column(ps, (p) => p.nas.id)}::int4[], ${column(ps, (p) => p.record.framedIp)}::inet[],
                ${column(ps, (p) => p.record.userName)}::text[]) as v(nas_id, ip, username)
    where a.nas_id = v.nas_id and a.ip_address = v.ip and (a.status <> 'in_use' or a.username is distinct from v.username)`;
}

/** …and free at its Stop, unless another open session holds it. */
function markAvailable(tx: postgres.Sql, ps: readonly Pending[]) {
  return tx`update ip_pool_assignments a set status = 'available', username = null, updated_at = now()
    from unnest(${column(ps, (p) => p.nas.id)}::int4[], ${column(ps, (p) => p.nas.ip)}::inet[], ${column(ps, (p) => p.record.framedIp)}::inet[])
      as v(nas_id, nas, ip)
    where a.nas_id = v.nas_id and a.ip_address = v.ip and a.status = 'in_use'
      and not exists (select 1 from radacct o where o.nasipaddress = v.nas and o.framedipaddress = a.ip_address and o.acctstoptime is null)`;
}
