import fs from 'node:fs';
import os from 'node:os';

export function cpuModel(): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  return m ? m[1].trim() : (os.cpus()[0]?.model ?? 'unknown CPU');
}

export function openFilesLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

interface Proc {
  pid: number;
  ppid: number;
  cpuTicks: number;
  name: string;
}

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(d), { pid: Number(d), ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), name });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * CPU used by processes outside the bench's own tree while it runs: on a shared 2-core machine that is
 * the noise in every figure, so the report names it.
 */
export function watchOtherProcesses(ownPgids: () => number[]) {
  const start = readProcs();
  const tick = 100; // USER_HZ on Linux
  const ownPgidOf = (pid: number) => {
    try {
      return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
    } catch {
      return -1;
    }
  };
  return {
    report(): string[] {
      const end = readProcs();
      const mine = new Set<number>([process.pid]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const p of end.values()) {
          if (!mine.has(p.pid) && mine.has(p.ppid)) {
            mine.add(p.pid);
            grew = true;
          }
        }
      }
      const groups = new Set(ownPgids());
      const byName = new Map<string, number>();
      for (const p of end.values()) {
        if (mine.has(p.pid) || p.pid === process.ppid || groups.has(ownPgidOf(p.pid))) continue;
        const used = (p.cpuTicks - (start.get(p.pid)?.cpuTicks ?? 0)) / tick;
        if (used > 0) byName.set(p.name, (byName.get(p.name) ?? 0) + used);
      }
      return [...byName]
        .filter(([, s]) => s >= 5)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([n, s]) => `${n} (${Math.round(s)} CPU-s)`);
    },
  };
}
