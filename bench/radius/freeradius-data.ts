/**
 * FreeRADIUS's own tables in the bench database, built from the same world our service reads: a schema
 * of its own (default `freeradius`) holding the package's schema.sql as shipped (tables and indexes), with
 * `nas` = the world's active NAS rows (the cleartext bench secret, since ours are sealed), `radcheck` = a
 * Cleartext-Password for every active subscriber, and `radacct` = a copy of the world's accounting history,
 * so both servers write into a table of the same size.
 */
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { STOCK_RADDB, type FreeradiusSql } from './freeradius';
import { subscriberPasswordSql } from './subscribers';

const SCHEMA_SQL = path.join(STOCK_RADDB, 'mods-config/sql/main/postgresql/schema.sql');
const RADACCT_COLUMNS = `acctsessionid, acctuniqueid, username, realm, nasipaddress, nasportid, nasporttype, acctstarttime,
  acctupdatetime, acctstoptime, acctinterval, acctsessiontime, acctauthentic, connectinfo_start, connectinfo_stop,
  acctinputoctets, acctoutputoctets, calledstationid, callingstationid, acctterminatecause, servicetype, framedprotocol,
  framedipaddress, framedipv6address, framedipv6prefix, framedinterfaceid, delegatedipv6prefix, class`;

export interface FreeradiusData {
  nas: number;
  radcheck: number;
  radacct: number;
  seconds: number;
}

export async function prepareFreeradiusData(
  url: string,
  opts: { schema?: string; secret: string; copyRadacct?: boolean; log?: (s: string) => void },
): Promise<FreeradiusData> {
  const schema = opts.schema ?? 'freeradius';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema name ${schema} is not a plain identifier`);
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const sql = postgres(url, { max: 3, onnotice: () => {} });
  // Each part on its own connection, its search_path on FreeRADIUS's schema as rlm_sql's will be.
  const part = async (fn: (q: postgres.ReservedSql) => Promise<unknown>) => {
    const q = await sql.reserve();
    try {
      await q.unsafe(`set search_path = ${schema}; set maintenance_work_mem = '256MB'`);
      await fn(q);
    } finally {
      q.release();
    }
  };
  try {
    await sql.unsafe(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    await part((q) => q.unsafe(fs.readFileSync(SCHEMA_SQL, 'utf8')));
    await part(
      (q) => q`insert into nas (nasname, shortname, type, secret, description)
        select host(ip_address), short_name, 'other', ${opts.secret}, name from public.nas_devices where is_active order by id`,
    );
    // The two big tables in parallel, each loaded with its indexes dropped and then rebuilt as shipped.
    await Promise.all([
      part((q) =>
        bulkLoad(q, schema, 'radcheck', () =>
          q.unsafe(`insert into radcheck (username, attribute, op, value)
            select username, 'Cleartext-Password', ':=', ${subscriberPasswordSql('username')} from public.subscribers where is_active order by id`),
        ),
      ),
      opts.copyRadacct === false
        ? Promise.resolve()
        : part((q) =>
            bulkLoad(q, schema, 'radacct', () =>
              q.unsafe(`insert into radacct (${RADACCT_COLUMNS}) select ${RADACCT_COLUMNS} from public.radacct order by radacctid`),
            ),
          ),
    ]);
    await sql.unsafe(`vacuum (analyze) ${schema}.nas, ${schema}.radcheck, ${schema}.radacct`);
    const [c] =
      await sql.unsafe(`select (select count(*) from ${schema}.nas)::int as nas, (select count(*) from ${schema}.radcheck)::int as radcheck,
      (select count(*) from ${schema}.radacct)::int as radacct`);
    const seconds = (performance.now() - t0) / 1000;
    log(`  FreeRADIUS data in schema ${schema}: ${c.nas} nas, ${c.radcheck} radcheck, ${c.radacct} radacct (${seconds.toFixed(1)} s)`);
    return { nas: c.nas, radcheck: c.radcheck, radacct: c.radacct, seconds };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops a table's secondary indexes and unique constraints, runs the load, then recreates them as they were. */
async function bulkLoad(q: postgres.ReservedSql, schema: string, table: string, load: () => Promise<unknown>) {
  const constraints = await q`select conname, pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid = ${`${schema}.${table}`}::regclass and contype = 'u'`;
  const indexes = await q`select indexname, indexdef from pg_indexes where schemaname = ${schema} and tablename = ${table}
    and indexname not in (select conname from pg_constraint where conrelid = ${`${schema}.${table}`}::regclass)`;
  for (const c of constraints) await q.unsafe(`alter table ${table} drop constraint ${c.conname}`);
  for (const i of indexes) await q.unsafe(`drop index ${i.indexname}`);
  await load();
  for (const c of constraints) await q.unsafe(`alter table ${table} add constraint ${c.conname} ${c.def}`);
  for (const i of indexes) await q.unsafe(i.indexdef as string);
}

/** How FreeRADIUS reaches that database: the bench's URL, its search_path on the schema. */
export function freeradiusSql(url: string, schema = 'freeradius'): FreeradiusSql {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
    schema,
  };
}
