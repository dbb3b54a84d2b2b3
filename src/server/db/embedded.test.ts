import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStartError } from './embedded-error';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

// As root (CI), PostgreSQL runs as the postgres user, and a 0700 folder of root's is really out of its reach.
const asRoot = process.getuid?.() === 0;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A root-only folder (like /root) and an open state folder for copies and relocated data. */
function folders() {
  const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-0700-'));
  fs.chmodSync(closed, 0o700);
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-state-'));
  fs.chmodSync(state, 0o755);
  cleanup.push(() => {
    fs.rmSync(closed, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  });
  return { closed, state };
}

async function started(opts: Parameters<typeof startEmbeddedPostgres>[0]) {
  const notices: string[] = [];
  const pg = await startEmbeddedPostgres({ ...opts, notice: (l) => notices.push(l) });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await pg.stop();
    stopped = true;
  };
  cleanup.push(stop);
  return { pg, notices, stop };
}

/** Runs `fn` with a connection; also reports the postmaster's pid and the program it runs. */
async function withSql<T>(pg: EmbeddedDatabase, fn: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    const [{ pid, dir }] = await sql<
      { pid: number; dir: string }[]
    >`select pg_backend_pid() as pid, current_setting('data_directory') as dir`;
    const postmaster = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    return { postmaster, program: fs.readlinkSync(`/proc/${pid}/exe`), dir, result: await fn(sql) };
  } finally {
    await sql.end();
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!asRoot)('startEmbeddedPostgres from a folder the postgres user cannot reach', () => {
  it('starts with its data moved to the state folder, and removes it at stop when not persistent', async () => {
    const { closed, state } = folders();
    const asked = path.join(closed, 'data');
    const { pg, stop } = await started({ dataDir: asked, persistent: false, database: 'reach_test', stateDirs: [state] });

    const seen = await withSql(pg, async (sql) => (await sql`select current_database() as db`)[0].db);
    expect(seen.result).toBe('reach_test');
    expect(seen.dir).toBe(pg.dataDir);
    expect(pg.dataDir.startsWith(state + path.sep)).toBe(true);
    expect(fs.existsSync(asked)).toBe(false);

    await stop();
    expect(alive(seen.postmaster)).toBe(false);
    expect(fs.readdirSync(state)).toEqual([]);
  }, 60_000);

  it("keeps persistent data behind a link from the asked path, finds it again, and sets an earlier clone's aside", async () => {
    const { closed, state } = folders();
    const asked = path.join(closed, 'clone', '.data', 'pg');
    const first = await started({ dataDir: asked, persistent: true, database: 'keep_test', stateDirs: [state] });
    expect(fs.readlinkSync(asked)).toBe(first.pg.dataDir);
    expect(first.notices.join('\n')).toContain(`cannot enter ${closed}`);
    expect(first.notices.join('\n')).toContain(`its data goes to ${first.pg.dataDir}`);
    await withSql(first.pg, (sql) => sql`create table kept as select 42 as answer`);
    await first.stop();

    const again = await started({ dataDir: asked, persistent: true, database: 'keep_test', stateDirs: [state] });
    expect(again.pg.dataDir).toBe(first.pg.dataDir);
    expect(again.notices).toEqual([]);
    const kept = await withSql(again.pg, async (sql) => (await sql`select answer from kept`)[0].answer);
    expect(kept.result).toBe(42);
    await again.stop();

    // A fresh clone at the same path has no link and new keys: it must not inherit that database.
    fs.unlinkSync(asked);
    const fresh = await started({ dataDir: asked, persistent: true, database: 'keep_test', stateDirs: [state] });
    expect(fresh.pg.dataDir).toBe(first.pg.dataDir);
    const tables = await withSql(
      fresh.pg,
      async (sql) => (await sql`select count(*)::int as n from pg_tables where tablename = 'kept'`)[0].n,
    );
    expect(tables.result).toBe(0);
    expect(fresh.notices.join('\n')).toMatch(/earlier clone at this path; kept aside as \S+\.previous-/);
    const aside = fs.readdirSync(path.dirname(first.pg.dataDir)).filter((n) => n.startsWith('pg.previous-'));
    expect(aside).toHaveLength(1);
    expect(fs.existsSync(path.join(path.dirname(first.pg.dataDir), aside[0], 'PG_VERSION'))).toBe(true);
  }, 90_000);

  it('moves a database made while the clone was reachable to where PostgreSQL can still reach it', async () => {
    const { closed, state } = folders();
    fs.chmodSync(closed, 0o755);
    const asked = path.join(closed, 'clone', '.data', 'pg');
    const before = await started({ dataDir: asked, persistent: true, database: 'move_test', stateDirs: [state] });
    expect(before.pg.dataDir).toBe(asked);
    await withSql(before.pg, (sql) => sql`create table kept as select 7 as answer`);
    await before.stop();

    fs.chmodSync(closed, 0o700); // e.g. the clone was moved under /root
    const after = await started({ dataDir: asked, persistent: true, database: 'move_test', stateDirs: [state] });
    expect(after.pg.dataDir.startsWith(state + path.sep)).toBe(true);
    expect(fs.readlinkSync(asked)).toBe(after.pg.dataDir);
    expect((await withSql(after.pg, async (sql) => (await sql`select answer from kept`)[0].answer)).result).toBe(7);
  }, 90_000);

  it('refuses, in one sentence, to move a folder that is not a database', async () => {
    const { closed, state } = folders();
    const asked = path.join(closed, 'pg');
    fs.mkdirSync(asked);
    fs.writeFileSync(path.join(asked, 'notes.txt'), 'mine');
    const failure = await startEmbeddedPostgres({ dataDir: asked, persistent: true, database: 'x', stateDirs: [state] }).catch((e) => e);
    expect(failure).toBeInstanceOf(EmbeddedStartError);
    expect(failure.message).toBe(`${asked} is neither empty nor a PostgreSQL data folder: move its files elsewhere and start again`);
    expect(fs.readFileSync(path.join(asked, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('startEmbeddedPostgres', () => {
  it('runs PostgreSQL from the copy of its binaries in the state folder when a copy is forced', async () => {
    const { state } = folders();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-copy-'));
    cleanup.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const { pg, notices } = await started({
      dataDir: path.join(scratch, 'pg'),
      persistent: false,
      database: 'copy_test',
      stateDirs: [state],
      forceCopiedBinaries: true,
    });
    const copy = fs.readdirSync(state).find((n) => n.startsWith('postgres-'));
    expect(copy).toBeDefined();
    expect((await withSql(pg, async () => null)).program).toBe(path.join(state, copy!, 'bin', 'postgres'));
    expect(notices.join('\n')).toContain('copying its binaries');
  }, 60_000);

  it('says in one sentence that the port is taken, and leaves nothing behind', async () => {
    const port = await freePort();
    const squatter = net.createServer().listen(port, '127.0.0.1');
    cleanup.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-port-'));
    fs.chmodSync(scratch, 0o755); // reachable: this test is about the port
    cleanup.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const dataDir = path.join(scratch, 'pg');

    const failure = await startEmbeddedPostgres({ dataDir, port, persistent: false, database: 'port_test' }).catch((e) => e);
    expect(failure).toBeInstanceOf(EmbeddedStartError);
    expect(failure.message).toBe(
      `port ${port} on 127.0.0.1 is already in use: stop what listens there, or choose another EMBEDDED_PG_PORT`,
    );
    expect(fs.existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('says in one sentence why initdb refused a folder', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-initdb-'));
    fs.chmodSync(scratch, 0o755); // reachable: this test is about initdb
    cleanup.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const dataDir = path.join(scratch, 'pg');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'stray.txt'), 'not a database');

    const failure = await startEmbeddedPostgres({ dataDir, persistent: true, database: 'initdb_test' }).catch((e) => e);
    expect(failure).toBeInstanceOf(EmbeddedStartError);
    expect(failure.message).toMatch(
      new RegExp(`^initdb could not create the database in ${dataDir}: directory "${dataDir}" exists but is not empty$`),
    );
  }, 60_000);
});
