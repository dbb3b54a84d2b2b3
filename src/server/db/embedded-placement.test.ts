import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXECUTE, READ, findBlockedPath, type OsAccount } from './embedded-access';
import { placeBinaries, type PackagedBinaries } from './embedded-placement';

// Someone who owns none of these files: only the "other" bits let it in, as for the postgres user and a root clone.
const stranger: OsAccount = { name: 'stranger', uid: 54321, gid: 54321 };

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
  roots = [];
});
function tempDir(prefix: string, mode: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, mode);
  roots.push(dir);
  return dir;
}

const open = { program: 0o755, library: 0o644, dir: 0o755 };
const private_ = { program: 0o700, library: 0o600, dir: 0o700 }; // as root's umask 077 would leave them

/** A stand-in for the platform package: bin/, lib/ with a relative symlink, share/, with the given modes. */
function fakePackage(parentMode: number, modes: { program: number; library: number; dir: number }): PackagedBinaries {
  const nativeDir = path.join(tempDir('nas-panel-pkg-', parentMode), 'native');
  for (const d of ['bin', 'lib', 'share']) fs.mkdirSync(path.join(nativeDir, d), { recursive: true });
  for (const f of ['bin/postgres', 'bin/initdb']) fs.writeFileSync(path.join(nativeDir, f), '#!/bin/sh\n');
  fs.writeFileSync(path.join(nativeDir, 'lib/libpq.so.5.17'), 'lib');
  fs.symlinkSync('libpq.so.5.17', path.join(nativeDir, 'lib/libpq.so.5'));
  for (const f of ['bin/postgres', 'bin/initdb']) fs.chmodSync(path.join(nativeDir, f), modes.program);
  fs.chmodSync(path.join(nativeDir, 'lib/libpq.so.5.17'), modes.library);
  for (const d of ['bin', 'lib', 'share', '.']) fs.chmodSync(path.join(nativeDir, d), modes.dir);
  return { nativeDir, version: '0.0.0-test', initdb: 'bin/initdb', postgres: 'bin/postgres' };
}

function context() {
  const notices: string[] = [];
  return { notices, ctx: { account: stranger, stateDirs: [tempDir('nas-panel-state-', 0o755)], notice: (l: string) => notices.push(l) } };
}

describe('placeBinaries', () => {
  it("uses the package's own binaries when the account can reach them", () => {
    const pkg = fakePackage(0o755, open);
    const { ctx, notices } = context();
    expect(placeBinaries(pkg, ctx)).toBe(pkg.nativeDir);
    expect(notices).toEqual([]);
    expect(fs.readdirSync(ctx.stateDirs[0])).toEqual([]);
  });

  it('copies them once, open to everyone, when a folder on the way is closed (a clone under /root)', () => {
    const pkg = fakePackage(0o700, private_);
    const { ctx, notices } = context();
    const copy = placeBinaries(pkg, ctx);
    expect(copy).toBe(path.join(ctx.stateDirs[0], `postgres-0.0.0-test-${process.platform}-${process.arch}`));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`cannot enter ${path.dirname(pkg.nativeDir)} (mode 700`);
    expect(notices[0]).toContain(`copying its binaries (about 60 MB, once per version) to ${copy}`);
    for (const [p, bits] of [
      ['bin/postgres', READ | EXECUTE],
      ['lib/libpq.so.5', READ],
      ['share', READ | EXECUTE],
    ] as const) {
      expect(findBlockedPath(path.join(copy, p), stranger, bits)).toBeNull();
    }
    expect(fs.readlinkSync(path.join(copy, 'lib/libpq.so.5'))).toBe('libpq.so.5.17'); // still relative
    expect(fs.readdirSync(ctx.stateDirs[0])).toEqual([path.basename(copy)]); // no partial copy left

    expect(placeBinaries(pkg, ctx)).toBe(copy);
    expect(notices).toHaveLength(1);
  });

  it('copies even reachable binaries when told to', () => {
    const pkg = fakePackage(0o755, open);
    const { ctx } = context();
    expect(placeBinaries(pkg, ctx, true)).not.toBe(pkg.nativeDir);
  });
});
