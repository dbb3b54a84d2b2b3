/**
 * `npm run rotate-key`: every stored secret re-encrypted under a new key, in one transaction, while the old
 * key is still accepted.
 *
 * - Embedded default (no DATABASE_URL): generates the new key, records it in DATA_DIR/secrets.json with the
 *   old one kept as previous (written before the database is touched, so either key opens every row at any
 *   moment), then re-encrypts. Stop the panel first: its PostgreSQL holds the data directory.
 * - External database: set the new ENCRYPTION_KEY and the old one in ENCRYPTION_KEYS_PREVIOUS on every
 *   instance, then run this once (any start re-encrypts too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureLocalSecrets, newEncryptionKey, readLocalSecrets, writeLocalSecrets } from './local-secrets';

const root = path.resolve(import.meta.dirname, '..');
const log = (s: string) => console.log(`[rotate-key] ${s}`);

async function main() {
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));
  const dataDir = path.resolve(root, process.env.DATA_DIR || '.data');
  const external = Boolean(process.env.DATABASE_URL);
  let stopDb: (() => Promise<void>) | null = null;
  if (external) {
    ensureLocalSecrets(dataDir, true);
    if (!process.env.ENCRYPTION_KEYS_PREVIOUS) {
      log(
        'ENCRYPTION_KEYS_PREVIOUS is empty: nothing but the current key exists, so only secrets written in an older format are rewritten',
      );
    }
  } else {
    if (process.env.ENCRYPTION_KEY)
      throw new Error(
        'ENCRYPTION_KEY is set in the environment: rotate it there (new key in ENCRYPTION_KEY, old in ENCRYPTION_KEYS_PREVIOUS), not in DATA_DIR',
      );
    ensureLocalSecrets(dataDir, false);
    const stored = readLocalSecrets(dataDir);
    const previous = [stored.ENCRYPTION_KEY, ...(stored.ENCRYPTION_KEYS_PREVIOUS ?? '').split(',')].filter(Boolean);
    const next = { ...stored, ENCRYPTION_KEY: newEncryptionKey(), ENCRYPTION_KEYS_PREVIOUS: [...new Set(previous)].join(',') };
    writeLocalSecrets(dataDir, next);
    process.env.ENCRYPTION_KEY = next.ENCRYPTION_KEY;
    process.env.ENCRYPTION_KEYS_PREVIOUS = next.ENCRYPTION_KEYS_PREVIOUS;
    log(`new key written to ${path.relative(root, path.join(dataDir, 'secrets.json'))} (the old one is kept there as previous)`);
    const { startEmbeddedPostgres } = await import('../src/server/db/embedded');
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), persistent: true, database: 'nas_panel' }).catch(
      (e: Error) => {
        throw new Error(`cannot open the embedded database (${e.message}); if the panel is running, stop it first`);
      },
    );
    process.env.DATABASE_URL = pg.url;
    stopDb = pg.stop;
  }
  // Migrations first: the columns rotation walks must exist (a no-op on a current database).
  const { prepareDatabase } = await import('../src/server/setup/prepare');
  await prepareDatabase();
  const { reencryptSecrets } = await import('../src/server/crypto/reencrypt');
  const { currentKeyId } = await import('../src/server/crypto/secret-box');
  const { closeDb } = await import('../src/server/db/client');
  try {
    const r = await reencryptSecrets();
    log(`${r.rewritten} secrets re-encrypted under key ${currentKeyId()} in one transaction`);
    if (r.unreadable)
      log(`${r.unreadable} secrets open with no configured key and were left as they are: set them anew on their NAS pages`);
  } finally {
    await closeDb();
    await stopDb?.();
  }
}

main().catch((e) => {
  console.error(`[rotate-key] failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
