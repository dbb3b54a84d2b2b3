import fs from 'node:fs';
import http from 'node:http';
import type postgres from 'postgres';
import { drainSubscriberImports } from '../../src/server/jobs/subscriber-import';
import { result, type BenchResult } from '../lib/result';
import { trpcData, trpcMutation } from '../lib/http';
import { round } from '../lib/stats';

export interface CsvImportContext {
  base: string;
  cookie: string;
  sql: postgres.Sql;
  /** The panel's process group: its Next server is the member that serves the upload. */
  panelPid: number;
  log: (s: string) => void;
}

const PREFIX = 'bench14-';
const CHUNK_ROWS = 2000;

/** The process of the panel's group with the largest RSS: the Next server (the group also holds start.ts). */
function panelServerPid(group: number): number {
  let best = { pid: group, rss: -1 };
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, pgrp …
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== group) continue;
      const rss = memory(Number(name)).rss;
      if (rss > best.rss) best = { pid: Number(name), rss };
    } catch {
      // gone meanwhile
    }
  }
  return best.pid;
}

function memory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Linux resets a process's VmHWM to its current RSS on `5 > clear_refs`. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The rows, generated as they are sent: the bench never holds the file either. */
function* csvChunks(rows: number, nas: string[], plan: string): Generator<Buffer> {
  yield Buffer.from('username,password,plan,nas,static_ip,enabled\r\n');
  for (let i = 0; i < rows; i += CHUNK_ROWS) {
    let out = '';
    for (let k = i; k < Math.min(rows, i + CHUNK_ROWS); k++) {
      // Every tenth subscriber with a static IP (100.64.0.0/10 holds them all), a few disabled, a quoted password now and then.
      const ip = k % 10 === 0 ? `100.${64 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}` : '';
      const password = k % 7 === 0 ? `"p,${k}""x"` : `pw-${k.toString(36)}-secret`;
      out += `${PREFIX}${k},${password},${plan},${nas[k % nas.length]},${ip},${k % 50 === 0 ? 'no' : 'yes'}\r\n`;
    }
    yield Buffer.from(out);
  }
}

/** POST the CSV as a stream (chunked, written as the socket drains), as a browser uploading a file would. */
function upload(ctx: CsvImportContext, chunks: Generator<Buffer>): Promise<{ status: number; body: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const req = http.request(
      `${ctx.base}/api/subscribers/import?name=bench-100k.csv`,
      { method: 'POST', headers: { cookie: ctx.cookie, 'content-type': 'text/csv' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), bytes }));
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('the upload got no answer within 120 s')));
    req.on('error', reject);
    const pump = () => {
      for (;;) {
        const next = chunks.next();
        if (next.done) return req.end();
        bytes += next.value.length;
        if (!req.write(next.value)) return req.once('drain', pump);
      }
    };
    pump();
  });
}

/**
 * Figure 14: 100,000 subscribers from CSV, timed from the first byte of the upload to the job's commit: the upload
 * streamed into staging with its passwords sealed, the dry run, the queueing procedure, then the import job (the
 * bench drives the jobs, as for the pool import) re-checking, re-sealing and inserting in one transaction. Memory:
 * the panel server's peak RSS (VmHWM) over its RSS before the upload, and the same for the process running the job.
 */
export async function measureCsvImport(ctx: CsvImportContext, rows: number): Promise<BenchResult[]> {
  const nas = (
    await ctx.sql`select host(ip_address) as ip from nas_devices n
      where not exists (select 1 from ip_pool_assignments a where a.nas_id = n.id) order by id limit 20`
  ).map((r) => r.ip as string);
  if (!nas.length) throw new Error('no NAS without pools in the world to import onto');
  const [plan] = await ctx.sql`insert into plans (name, download_kbps, upload_kbps) values ('bench-import-plan', 20000, 5000)
    on conflict (name) do update set name = excluded.name returning name`;
  await ctx.sql`delete from subscribers where username like ${PREFIX + '%'}`;

  const server = panelServerPid(ctx.panelPid);
  const before = memory(server).rss;
  const hwm = resetPeak(server);
  let sampled = before;
  const sampler = setInterval(() => {
    try {
      sampled = Math.max(sampled, memory(server).rss);
    } catch {
      // the panel went away: the upload fails and says so
    }
  }, 20);
  const self = process.pid;
  const jobBefore = memory(self).rss;
  const jobHwm = resetPeak(self);

  const t0 = performance.now();
  let uploaded: Awaited<ReturnType<typeof upload>>;
  try {
    uploaded = await upload(ctx, csvChunks(rows, nas, plan.name as string));
  } finally {
    clearInterval(sampler);
  }
  const uploadMs = performance.now() - t0;
  const panelPeak = Math.max(sampled, hwm ? memory(server).hwm : 0);
  if (uploaded.status !== 200) throw new Error(`the upload answered ${uploaded.status}: ${uploaded.body.slice(0, 300)}`);
  const imp = (
    JSON.parse(uploaded.body) as { import: { id: number; state: string; totalRows: number; errorCount: number; errors: unknown[] } }
  ).import;
  if (imp.state !== 'checked' || imp.totalRows !== rows) {
    throw new Error(
      `the dry run said ${imp.state}, ${imp.totalRows} rows, ${imp.errorCount} errors: ${JSON.stringify(imp.errors.slice(0, 3))}`,
    );
  }

  const t1 = performance.now();
  trpcData('subscriberImports.start', await trpcMutation(ctx.base, ctx.cookie, 'subscriberImports.start', { id: imp.id }));
  const ran = await drainSubscriberImports({ max: 1, log: () => {} });
  const jobMs = performance.now() - t1;
  const totalMs = performance.now() - t0;
  const jobPeak = jobHwm ? memory(self).hwm : memory(self).rss;
  const [done] = await ctx.sql`select state, error, processed_rows from subscriber_imports where id = ${imp.id}`;
  const [{ n }] = await ctx.sql`select count(*)::int as n from subscribers where username like ${PREFIX + '%'}`;
  if (ran !== 1 || done.state !== 'done' || n !== rows)
    throw new Error(`the import ended ${done?.state}: ${done?.error}; ${n} of ${rows} subscribers`);

  const panelGrowthMb = (panelPeak - before) / 2 ** 20;
  const jobGrowthMb = (jobPeak - jobBefore) / 2 ** 20;
  ctx.log(
    `  ${rows.toLocaleString('en')} rows (${(uploaded.bytes / 2 ** 20).toFixed(1)} MB): upload + dry run ${(uploadMs / 1000).toFixed(1)} s, import job ${(jobMs / 1000).toFixed(1)} s; peak RSS growth: panel ${panelGrowthMb.toFixed(0)} MB, job ${jobGrowthMb.toFixed(0)} MB`,
  );
  // Out of the way of the figures after this one (the RADIUS service would load them).
  await ctx.sql`delete from subscribers where username like ${PREFIX + '%'}`;
  await ctx.sql`delete from subscriber_imports where id = ${imp.id}`;

  const detail = {
    rows,
    megabytes: round(uploaded.bytes / 2 ** 20, 1),
    uploadAndDryRunS: round(uploadMs / 1000, 2),
    startAndJobS: round(jobMs / 1000, 2),
    rowsPerSecond: Math.round(rows / (totalMs / 1000)),
  };
  return [
    result({
      id: 14,
      name: `CSV import of ${rows.toLocaleString('en')} subscribers: upload + dry run + import job`,
      value: round(totalMs / 1000, 1),
      unit: 's',
      target: 30,
      pass: totalMs <= 30_000,
      targetText: '≤ 30 s',
      detail,
    }),
    result({
      id: 14,
      name: 'CSV import: peak RSS growth of the panel server (upload + dry run)',
      value: round(panelGrowthMb, 0),
      unit: 'MB',
      target: 200,
      pass: panelGrowthMb <= 200,
      targetText: '≤ 200 MB',
      detail: {
        panelRssBeforeMb: round(before / 2 ** 20, 0),
        panelPeakMb: round(panelPeak / 2 ** 20, 0),
        peakMethod: hwm ? 'VmHWM' : 'sampled every 20 ms',
        // The import job ran in the bench process (the bench drives the jobs); its own growth, for the record.
        jobProcessGrowthMb: round(jobGrowthMb, 0),
        jobWithin200Mb: jobGrowthMb <= 200,
      },
    }),
  ];
}
