import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXECUTE, READ, findBlockedPath, type OsAccount } from './embedded-access';

// Accounts that need not exist: the decision reads mode bits, as the kernel would for these ids.
const stranger: OsAccount = { name: 'stranger', uid: 54321, gid: 54321 };
const asRoot = process.getuid?.() === 0; // chown needs root, as in CI

let roots: string[] = [];
function tree(...modes: number[]): string[] {
  // A temp tree d0/d1/… where dN has modes[N]; returns the folders, outermost first.
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'nas-panel-reach-'))];
  roots.push(dirs[0]);
  for (let i = 1; i < modes.length; i++) {
    dirs.push(path.join(dirs[i - 1], `d${i}`));
    fs.mkdirSync(dirs[i]);
  }
  modes.forEach((m, i) => fs.chmodSync(dirs[i], m));
  return dirs;
}

afterEach(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  roots = [];
});

describe('findBlockedPath', () => {
  it('names the 0700 folder on the way that a non-root account cannot pass', () => {
    const [top, , leaf] = tree(0o700, 0o755, 0o755);
    const blocked = findBlockedPath(path.join(leaf, 'pg'), stranger);
    expect(blocked?.path).toBe(top);
    expect(blocked?.why).toMatch(/mode 700, owner uid \d+/);
  });

  it('lets the account through when every folder on the way is 0755, including parts not created yet', () => {
    const [, , leaf] = tree(0o755, 0o755, 0o755);
    expect(findBlockedPath(leaf, stranger)).toBeNull();
    expect(findBlockedPath(path.join(leaf, 'not', 'yet', 'there'), stranger)).toBeNull();
  });

  it('asks the target itself for the bits needed, not only search', () => {
    const [, leaf] = tree(0o755, 0o755);
    const program = path.join(leaf, 'postgres');
    fs.writeFileSync(program, '');
    fs.chmodSync(program, 0o711); // others may execute, not read
    expect(findBlockedPath(program, stranger, EXECUTE)).toBeNull();
    expect(findBlockedPath(program, stranger, READ | EXECUTE)?.path).toBe(program);
    fs.chmodSync(program, 0o755);
    expect(findBlockedPath(program, stranger, READ | EXECUTE)).toBeNull();
  });

  it('follows a symlink to where it really leads', () => {
    const [open] = tree(0o755);
    const [closed, inside] = tree(0o700, 0o755);
    const link = path.join(open, 'link');
    fs.symlinkSync(inside, link);
    expect(findBlockedPath(link, stranger)?.path).toBe(closed);
  });

  it.skipIf(!asRoot)('never blocks root, even from a 0700 folder it does not own', () => {
    const [, leaf] = tree(0o755, 0o700);
    fs.chownSync(leaf, stranger.uid, stranger.gid);
    expect(findBlockedPath(leaf, { name: 'root', uid: 0, gid: 0 })).toBeNull();
  });

  it.skipIf(!asRoot)('judges by the owner bits alone when the account owns the folder, as the kernel does', () => {
    const [, leaf] = tree(0o755, 0o755);
    fs.chownSync(leaf, stranger.uid, stranger.gid);
    fs.chmodSync(leaf, 0o077); // others may enter, the owner may not
    expect(findBlockedPath(leaf, stranger)?.path).toBe(leaf);
    fs.chmodSync(leaf, 0o700);
    expect(findBlockedPath(leaf, stranger)).toBeNull();
  });

  it.skipIf(!asRoot)("uses the group bits for the account's primary group only", () => {
    const [top, leaf] = tree(0o750, 0o755);
    fs.chownSync(top, 0, stranger.gid);
    expect(findBlockedPath(leaf, stranger)).toBeNull();
    expect(findBlockedPath(leaf, { ...stranger, gid: stranger.gid + 1 })?.path).toBe(top);
  });
});
