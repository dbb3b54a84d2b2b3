import type postgres from 'postgres';
import { sqlClient } from '@/server/db/client';
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
 * commit (one fsync instead of one per packet), which is where the throughput comes from. Within a group every
 * packet's statements run in arrival order on one connection, pipelined. A group that fails is retried packet
 * by packet, so one bad packet costs only its own reply (its NAS retransmits it), never its neighbours'.
 */
export class AccountingWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: { batchMs: number; batchMax: number; log: (line: string) => void; sql?: () => postgres.Sql }) {}

  /** Resolves once the packet's effects are committed; rejects when they could not be. */
  write(nas: NasClient, record: AccountingRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the accounting writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ nas, record, done: (e) => (e ? reject(e) : resolve()) });
      if (this.queue.length >= this.opts.batchMax) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.opts.batchMs);
    });
  }

  /** Commits what is queued and refuses new packets. */
  async close(): Promise<void> {
    this.closed = true;
    this.kick();
    await this.flushing;
  }

  private kick() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue.splice(0);
    if (!batch.length) return;
    // One group commits at a time: the next waits, growing meanwhile, which is group commit's point.
    this.flushing = this.flushing.then(() => this.commit(batch));
  }

  private async commit(batch: Pending[]): Promise<void> {
    const sql = (this.opts.sql ?? sqlClient)();
    try {
      await sql.begin((tx) => Promise.all(batch.flatMap((p) => statements(tx, p.nas, p.record))));
      for (const p of batch) p.done(null);
    } catch (groupError) {
      if (batch.length === 1) {
        batch[0].done(groupError as Error);
        return;
      }
      for (const p of batch) {
        try {
          await sql.begin((tx) => Promise.all(statements(tx, p.nas, p.record)));
          p.done(null);
        } catch (e) {
          this.opts.log(`[radius] accounting from NAS ${p.nas.name} (${p.nas.ip}) not stored: ${(e as Error).message.split('\n')[0]}`);
          p.done(e as Error);
        }
      }
    }
  }
}

/** The statements one Accounting-Request makes, in order (sent at once: postgres.js pipelines them). */
function statements(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord): postgres.PendingQuery<postgres.Row[]>[] {
  switch (r.statusType) {
    case AcctStatus.Start:
      return [closeSuperseded(tx, nas, r), retireReusedId(tx, r), start(tx, nas, r), ...(r.framedIp ? [markInUse(tx, nas, r)] : [])];
    case AcctStatus.InterimUpdate:
      return [interim(tx, nas, r), ...(r.framedIp ? [markInUse(tx, nas, r)] : [])];
    case AcctStatus.Stop:
      return [stop(tx, nas, r), ...(r.framedIp ? [markAvailable(tx, nas, r)] : [])];
    case AcctStatus.AccountingOn:
    case AcctStatus.AccountingOff:
      return [closeAll(tx, nas, r)];
    default:
      return [];
  }
}

// Columns written when a packet opens a row (Start, or an Interim / Stop whose Start was lost). Timestamps travel
// as ISO text: drizzle's setup of the shared postgres.js client leaves Date serializing to the caller.
function rowValues(nas: NasClient, r: AccountingRecord, startTime: Date) {
  return {
    acctsessionid: r.sessionId,
    acctuniqueid: r.uniqueId,
    username: r.userName,
    realm: r.realm,
    nasipaddress: nas.ip,
    nasportid: r.nasPortId,
    nasporttype: r.nasPortType,
    acctstarttime: startTime.toISOString(),
    acctupdatetime: r.eventTime.toISOString(),
    acctauthentic: r.acctAuthentic,
    connectinfo_start: r.connectInfo,
    calledstationid: r.calledStationId,
    callingstationid: r.callingStationId,
    servicetype: r.serviceType,
    framedprotocol: r.framedProtocol,
    framedipaddress: r.framedIp,
    framedipv6address: r.framedIpv6Address,
    framedipv6prefix: r.framedIpv6Prefix,
    framedinterfaceid: r.framedInterfaceId,
    delegatedipv6prefix: r.delegatedIpv6Prefix,
    class: r.class,
  };
}

/**
 * A router that rebooted may number its sessions from the beginning again, so a new session's Start can carry
 * the unique id of a closed one (same user, Acct-Session-Id and port). FreeRADIUS's upsert then changes nothing
 * and the new session is never stored; here the closed row keeps its history under `<id>.<radacctid>` and the
 * new session opens. A Start that is not later than the closed row's stop is that session's own, late.
 */
function retireReusedId(tx: postgres.TransactionSql, r: AccountingRecord) {
  return tx`update radacct set acctuniqueid = acctuniqueid || '.' || radacctid
    where acctuniqueid = ${r.uniqueId} and acctstoptime is not null and acctstoptime < ${r.eventTime.toISOString()}`;
}

/** Start: a new row; the same session started again (a retransmitted Start) only refreshes an open row. */
function start(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  return tx`insert into radacct ${tx(rowValues(nas, r, r.eventTime))}
    on conflict (acctuniqueid) do update set acctstarttime = excluded.acctstarttime, acctupdatetime = excluded.acctupdatetime,
      connectinfo_start = excluded.connectinfo_start
    where radacct.acctstoptime is null`;
}

/**
 * A router that lost a session's Stop (a reboot, a lost packet) sends the next Start for the same subscriber from
 * the same device: the old row is closed then, which FreeRADIUS leaves to the operator. Same NAS, user and
 * Calling-Station-Id (the client's MAC) is that subscriber's device reconnecting.
 */
function closeSuperseded(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  const at = r.eventTime.toISOString();
  return tx`update radacct set acctstoptime = ${at}, acctupdatetime = ${at},
      acctsessiontime = greatest(0, extract(epoch from ${at}::timestamptz - acctstarttime))::bigint, acctterminatecause = 'Lost-Carrier'
    where nasipaddress = ${nas.ip}::inet and acctstoptime is null and username = ${r.userName}
      and callingstationid = ${r.callingStationId ?? ''} and acctuniqueid <> ${r.uniqueId} and acctstarttime < ${at}`;
}

/**
 * Interim-Update: the open row's counters. A row whose Start was lost is created from this packet (its start
 * is the event time minus Acct-Session-Time), and a closed row is left alone: FreeRADIUS's update-then-insert,
 * as one upsert.
 */
function interim(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  const startTime = new Date(r.eventTime.getTime() - (r.sessionTime ?? 0) * 1000);
  const values = {
    ...rowValues(nas, r, startTime),
    acctsessiontime: r.sessionTime,
    acctinputoctets: r.inputOctets,
    acctoutputoctets: r.outputOctets,
  };
  return tx`insert into radacct ${tx(values)}
    on conflict (acctuniqueid) do update set acctupdatetime = excluded.acctupdatetime,
      acctinterval = greatest(0, extract(epoch from excluded.acctupdatetime - coalesce(radacct.acctupdatetime, radacct.acctstarttime)))::bigint,
      acctsessiontime = excluded.acctsessiontime, acctinputoctets = excluded.acctinputoctets, acctoutputoctets = excluded.acctoutputoctets,
      framedipaddress = coalesce(excluded.framedipaddress, radacct.framedipaddress)
    where radacct.acctstoptime is null`;
}

/** Stop: closes the open row; a Stop without one stores the closed session it describes. */
function stop(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  const startTime = new Date(r.eventTime.getTime() - (r.sessionTime ?? 0) * 1000);
  const values = {
    ...rowValues(nas, r, startTime),
    acctstoptime: r.eventTime.toISOString(),
    acctsessiontime: r.sessionTime,
    acctinputoctets: r.inputOctets,
    acctoutputoctets: r.outputOctets,
    acctterminatecause: r.terminateCause,
    connectinfo_stop: r.connectInfo,
  };
  return tx`insert into radacct ${tx(values)}
    on conflict (acctuniqueid) do update set acctstoptime = excluded.acctstoptime, acctupdatetime = excluded.acctupdatetime,
      acctsessiontime = excluded.acctsessiontime, acctinputoctets = excluded.acctinputoctets, acctoutputoctets = excluded.acctoutputoctets,
      acctterminatecause = excluded.acctterminatecause, connectinfo_stop = excluded.connectinfo_stop,
      framedipaddress = coalesce(excluded.framedipaddress, radacct.framedipaddress)
    where radacct.acctstoptime is null`;
}

/** Accounting-On / Off: the NAS restarted or stops: every session still open on it is over. */
function closeAll(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  const at = r.eventTime.toISOString();
  return tx`update radacct set acctstoptime = ${at}, acctupdatetime = ${at},
      acctsessiontime = greatest(0, extract(epoch from ${at}::timestamptz - acctstarttime))::bigint,
      acctterminatecause = ${r.terminateCause ?? 'NAS-Reboot'}
    where nasipaddress = ${nas.ip}::inet and acctstoptime is null and acctstarttime <= ${at}`;
}

/** Pool usage between Syncs: the session's address is in use from its Start… */
function markInUse(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  return tx`update ip_pool_assignments set status = 'in_use', username = ${r.userName}, updated_at = now()
    where nas_id = ${nas.id} and ip_address = ${r.framedIp}::inet and (status <> 'in_use' or username is distinct from ${r.userName})`;
}

/** …and free at its Stop, unless another open session holds it. */
function markAvailable(tx: postgres.TransactionSql, nas: NasClient, r: AccountingRecord) {
  return tx`update ip_pool_assignments a set status = 'available', username = null, updated_at = now()
    where a.nas_id = ${nas.id} and a.ip_address = ${r.framedIp}::inet and a.status = 'in_use'
      and not exists (select 1 from radacct o where o.nasipaddress = ${nas.ip}::inet and o.framedipaddress = a.ip_address and o.acctstoptime is null)`;
}
