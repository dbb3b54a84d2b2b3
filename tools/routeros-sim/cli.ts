// `npm run sim [fleet.json]`: serve a fleet of simulated routers until Ctrl-C.
import path from 'node:path';
import { loadFleetFile, startFleet } from './fleet';

const file = process.argv[2] ?? path.join(import.meta.dirname, 'demo-fleet.json');

async function main(): Promise<void> {
  const cfgs = loadFleetFile(file);
  // What the routers' RADIUS clients do: sessions opened and closed, rejects, a server that does not answer.
  const log = (line: string) => console.log(`${new Date().toTimeString().slice(0, 8)} ${line}`);
  const fleet = await startFleet(cfgs, { log });
  console.log(`RouterOS simulator: ${fleet.routers.length} router(s) from ${path.relative(process.cwd(), file)}`);
  for (const [i, r] of fleet.routers.entries()) {
    const cfg = cfgs[i];
    const where = [`api ${r.host}:${r.apiPort}`];
    if (r.apiSslPort !== null) where.push(`api-ssl ${r.host}:${r.apiSslPort}`);
    if (r.coaPort !== null) where.push(`CoA udp ${r.host}:${r.coaPort}`);
    const rc = cfg.radiusClient;
    if (rc) where.push(`RADIUS -> ${rc.server}:${rc.authPort ?? 1812}/${rc.acctPort ?? 1813} (${rc.subscribers.length} subscribers)`);
    const notes = [cfg.version ?? '', cfg.loginMode === 'challenge' ? 'MD5 challenge login' : '', cfg.emptyReplies ? '!empty replies' : '']
      .filter(Boolean)
      .join(', ');
    const fault = r.fault === 'none' ? '' : `  [fault: ${r.fault}]`;
    console.log(`  ${r.identity.padEnd(20)} ${where.join('  ')}${notes ? `  (${notes})` : ''}${fault}`);
  }
  if (fleet.routers.length > 0) console.log(`  login: ${cfgs[0].username} / (password from the fleet file)`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping simulated routers`);
    fleet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
