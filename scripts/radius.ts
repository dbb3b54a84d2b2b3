/**
 * `npm run radius`: one RADIUS service process (`npm start` runs one next to the panel). Several may run on one
 * PostgreSQL: routers list them as separate `/radius` servers.
 *
 * The database: DATABASE_URL; without it, the embedded PostgreSQL a running `npm start` has open (it leaves its
 * address in DATA_DIR/runtime.json), with the keys it keeps in DATA_DIR/secrets.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureLocalSecrets } from './local-secrets';

const root = path.resolve(import.meta.dirname, '..');

async function main() {
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  const dataDir = path.resolve(root, process.env.DATA_DIR || '.data');
  if (!process.env.DATABASE_URL) {
    const runtime = path.join(dataDir, 'runtime.json');
    if (!fs.existsSync(runtime)) {
      throw new Error(
        'no DATABASE_URL, and no running `npm start` whose embedded database it could use: start the panel first, or set DATABASE_URL',
      );
    }
    process.env.DATABASE_URL = (JSON.parse(fs.readFileSync(runtime, 'utf8')) as { databaseUrl: string }).databaseUrl;
    ensureLocalSecrets(dataDir, false);
  } else ensureLocalSecrets(dataDir, true);
  const { runRadiusProcess } = await import('../src/server/radius-service/main');
  await runRadiusProcess();
}

main().catch((e) => {
  console.error(`[radius] could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
