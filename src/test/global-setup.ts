import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '@/server/db/embedded';
import { TEST_ENV } from './test-env';

/**
 * One real PostgreSQL for the whole run. Migrations and seeds go into a template database once; each test
 * file then clones it (see setup-file.ts), so files run in parallel without seeing each other's rows.
 */
export default async function setup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'nas_template' });
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: pg.url, NAS_PANEL_TEST_PG_URL: pg.url });
  const { prepareDatabase } = await import('@/server/setup/prepare');
  const { closeDb } = await import('@/server/db/client');
  await prepareDatabase();
  await closeDb();
  // A template must have no open connections when cloned.
  const admin = postgres(pg.url.replace(/\/nas_template$/, '/postgres'), { onnotice: () => {} });
  await admin`update pg_database set datistemplate = true where datname = 'nas_template'`;
  await admin.end();
  return async () => {
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
