import fs from 'node:fs';
import path from 'node:path';

/** The OS account PostgreSQL runs as. Only its primary group counts: Node's spawn drops supplementary groups. */
export interface OsAccount {
  name: string;
  uid: number;
  gid: number;
}

/** A directory (or file) on the way that the account may not pass, with what makes it so. */
export interface BlockedPath {
  path: string;
  /** e.g. "mode 700, owner uid 0": enough for an operator to see why. */
  why: string;
}

export const READ = 4;
export const WRITE = 2;
export const EXECUTE = 1;

/**
 * Can `account` reach `target`? Returns the first path it cannot pass, or null. Judged from the owner /
 * group / other bits as the kernel does (ACLs aside): every directory on the way needs search (x), and
 * `target` itself, when it exists, the `need` bits. Symlinks are resolved first, since PostgreSQL is given
 * the real path. Parts that do not exist yet are not judged: whoever creates them decides their mode.
 */
export function findBlockedPath(target: string, account: OsAccount, need = EXECUTE): BlockedPath | null {
  if (account.uid === 0) return null;
  const resolved = path.resolve(target);
  let existing = resolved;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  const chain: string[] = [];
  for (let p = real; ; p = path.dirname(p)) {
    chain.unshift(p);
    if (p === path.dirname(p)) break;
  }
  for (const p of chain) {
    const st = fs.statSync(p);
    const bits = p === real && existing === resolved ? need : EXECUTE;
    if (!allows(st, account, bits)) {
      return { path: p, why: `mode ${(st.mode & 0o777).toString(8)}, owner uid ${st.uid}, gid ${st.gid}` };
    }
  }
  return null;
}

function allows(st: fs.Stats, account: OsAccount, bits: number): boolean {
  // The kernel picks exactly one class: owner, else group, else other (an owner denied is not rescued by "other").
  const shift = st.uid === account.uid ? 6 : st.gid === account.gid ? 3 : 0;
  return ((st.mode >> shift) & bits) === bits;
}
