/**
 * Next calls this once per server process. The background jobs (pool imports, heartbeat) start here, in
 * the Node.js runtime only. Several instances may start them: the runner's advisory locks and job_runs keep
 * the heartbeat to one sweep per interval across instances, and the pool-import queue is claimed row by row.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./env');
  if (env().NAS_PANEL_DB_READY !== '1') {
    // Started without `npm start` (e.g. `next start` against an external database): migrate first.
    const { prepareDatabase } = await import('./server/setup/prepare');
    await prepareDatabase();
    // …and rewrite secrets an older key wrote, as `npm start` does.
    const { reencryptSecrets } = await import('./server/crypto/reencrypt');
    const r = await reencryptSecrets();
    if (r.rewritten) console.log(`[nas-panel] re-encrypted ${r.rewritten} stored secrets under the current encryption key`);
  }
  if (!env().JOBS_ENABLED) return;
  const { startJobs } = await import('./server/jobs/runner');
  const { panelJobs } = await import('./server/jobs/definitions');
  startJobs(panelJobs());
  console.log('[jobs] pool-import worker and heartbeat started');
}
