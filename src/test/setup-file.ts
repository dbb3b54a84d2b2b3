import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll } from 'vitest';
import { resetEnvCache } from '@/env';
import { closeDb } from '@/server/db/client';

// Each test file gets its own database cloned from the migrated template (fast: a file copy).
const baseUrl = process.env.NAS_PANEL_TEST_PG_URL;
if (baseUrl) {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl.replace(/\/nas_template$/, '/postgres'), { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name} template nas_template`);
  await admin.end();
  process.env.DATABASE_URL = baseUrl.replace(/\/nas_template$/, `/${name}`);
  resetEnvCache();
  afterAll(async () => {
    await closeDb();
  });
}
