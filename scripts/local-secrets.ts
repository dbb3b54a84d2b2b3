import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded default keeps its generated keys in the data folder, so a restart can still decrypt the
 * secrets it stored. An external database needs keys from the environment: every instance must share them.
 */
export function ensureLocalSecrets(dataDir: string, external: boolean) {
  const file = path.join(dataDir, 'secrets.json');
  if (external) {
    const missing = ['ENCRYPTION_KEY', 'NEXTAUTH_SECRET'].filter((k) => !process.env[k]);
    if (missing.length) {
      throw new Error(`${missing.join(' and ')} must be set when DATABASE_URL points at an external PostgreSQL (all instances share them; see .env.example)`);
    }
    return;
  }
  let stored: Record<string, string> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  let changed = false;
  for (const [k, make] of [
    ['ENCRYPTION_KEY', () => randomBytes(32).toString('hex')],
    ['NEXTAUTH_SECRET', () => randomBytes(32).toString('base64url')],
  ] as const) {
    if (process.env[k]) continue;
    if (!stored[k]) {
      stored[k] = make();
      changed = true;
    }
    process.env[k] = stored[k];
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
}
