import fs from 'node:fs';
import path from 'node:path';
import { startPanel } from '../lib/panel';
import { result, type BenchResult } from '../lib/result';
import { round, summarize } from '../lib/stats';

/**
 * Figure 8: the README's start command (`tsx scripts/start.ts`, what `npm start` runs) in a fresh clone
 * after install with the build present, against a fresh data folder: initdb of the embedded PostgreSQL,
 * migrations, seeds, demo data, the panel server, until /signin first answers 200. A clean environment, as on
 * a new machine: no DATABASE_URL, no keys (it generates them).
 */
export async function measureStart(
  clone: string,
  tmp: string,
  port: number,
  runs: number,
  log: (s: string) => void,
): Promise<BenchResult[]> {
  const times: number[] = [];
  let rebuilt = false;
  for (let i = 0; i < runs; i++) {
    const dataDir = path.join(tmp, `fresh-start-${i}`);
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: process.env.LANG,
      TMPDIR: process.env.TMPDIR,
      DATA_DIR: dataDir,
    };
    const panel = await startPanel({ cwd: clone, env, port, logFile: path.join(tmp, `fresh-start-${i}.log`), deadlineMs: 8 * 60_000 });
    if (/building the panel|rebuilding/.test(panel.log())) rebuilt = true;
    times.push(panel.startMs);
    await panel.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    log(
      `  fresh start #${i + 1}: ${(panel.startMs / 1000).toFixed(2)} s to the first 200 on /signin${rebuilt ? ' (included a build)' : ''}`,
    );
  }
  const s = summarize(times);
  return [
    result({
      id: 8,
      name: 'fresh clone: start command → first 200 on /signin (median)',
      value: round(s.p50, 0),
      unit: 'ms',
      targetText: 'reported',
      detail: {
        runs,
        p50: round(s.p50, 0),
        max: round(s.max, 0),
        measured:
          'tsx scripts/start.ts in a git clone of HEAD, node_modules linked, build present; fresh DATA_DIR (initdb, migrate, seed, demo data), then the panel server',
        includedBuild: rebuilt,
      },
    }),
  ];
}
