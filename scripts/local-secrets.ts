import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded default keeps its generated keys in the data folder, so a restart can still decrypt the
 * secrets it stored. An external database needs keys from the environment: every instance must share them.
 */
export function ensureLocalSecrets(dataDir: string, external: boolean) {
  if (external) {
    const missing = ['ENCRYPTION_KEY', 'NEXTAUTH_SECRET'].filter((k) => !process.env[k]);
    if (missing.length) {
      throw new Error(
        `${missing.join(' and ')} must be set when DATABASE_URL points at an external PostgreSQL (all instances share them; see .env.example)`,
      );
    }
    return;
  }
  const stored = readLocalSecrets(dataDir);
  let changed = false;
  for (const [k, make] of [
    ['ENCRYPTION_KEY', newEncryptionKey],
    ['NEXTAUTH_SECRET', () => randomBytes(32).toString('base64url')],
  ] as const) {
    if (process.env[k]) continue;
    if (!stored[k]) {
      stored[k] = make();
      changed = true;
    }
    process.env[k] = stored[k];
  }
  // Keys replaced by `npm run rotate-key`, still accepted for what they wrote.
  if (!process.env.ENCRYPTION_KEYS_PREVIOUS && stored.ENCRYPTION_KEYS_PREVIOUS)
    process.env.ENCRYPTION_KEYS_PREVIOUS = stored.ENCRYPTION_KEYS_PREVIOUS;
  if (changed) writeLocalSecrets(dataDir, stored);
}

export function newEncryptionKey(): string {
  return randomBytes(32).toString('hex');
}

export function readLocalSecrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'secrets.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/** Written whole to a temporary file, then renamed over the old one: a crash leaves the old or the new. */
export function writeLocalSecrets(dataDir: string, values: Record<string, string>) {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'secrets.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(values, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
