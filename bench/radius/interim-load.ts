/**
 * Figure 12's background: the world's open sessions sending Interim-Updates at a fixed rate to a RADIUS
 * server, from a process of its own so that its timers and crypto do not share an event loop with the HTTP
 * clients being measured. Run by interim-driver.ts:
 *
 *   node --import tsx bench/radius/interim-load.ts '<json: url, host, port, rate, secret, timeoutMs, worldNas>'
 *
 * Prints `ready <sessions> <nas>` once the sessions are loaded and the sockets bound, sends until SIGTERM,
 * then prints `report <LoadReport as JSON>` and exits.
 */
import postgres from 'postgres';
import { runLoad } from './load';
import { worldNasNumber } from './world-nas';
import { interimWorkload, type NasEndpoint, type OpenSession } from './workloads';

interface Args {
  url: string;
  host: string;
  port: number;
  rate: number;
  secret: string;
  timeoutMs: number;
  /** The world's NAS count: NAS other figures added (with sessions of their own) are not the fleet's. */
  worldNas: number;
}

const identifierOf = (address: string) => `bng-${String(worldNasNumber(address)).padStart(4, '0')}`;

async function main() {
  const args = JSON.parse(process.argv[2]) as Args;
  const sql = postgres(args.url, { max: 1, onnotice: () => {} });
  let rows: { nas: string; username: string; sessionid: string; portid: string; framed: string; started: number }[];
  try {
    // The world's open sessions were written without FreeRADIUS's acct_unique key; give them the one their
    // Interim-Updates will carry (User-Name, Acct-Session-Id, NAS-IP-Address, NAS-Identifier, NAS-Port-Id,
    // no NAS-Port), so every update lands on its row as it would on a live network.
    await sql`update radacct set acctuniqueid = md5(username || ',' || acctsessionid || ',' || host(nasipaddress) || ',bng-' ||
        lpad((nasipaddress - '127.0.100.0'::inet)::text, 4, '0') || ',' || coalesce(nasportid, '') || ',')
      where acctstoptime is null and nasipaddress - '127.0.100.0'::inet between 1 and ${args.worldNas}`;
    rows = await sql`select host(nasipaddress) as nas, username, acctsessionid as sessionid, coalesce(nasportid, '') as portid,
        host(framedipaddress) as framed, extract(epoch from acctstarttime)::int8::float8 as started
      from radacct where acctstoptime is null and nasipaddress - '127.0.100.0'::inet between 1 and ${args.worldNas}
      order by nasipaddress, radacctid`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  const byNas = new Map<string, OpenSession[]>();
  for (const r of rows) {
    let list = byNas.get(r.nas);
    if (!list) byNas.set(r.nas, (list = []));
    list.push({ username: r.username, sessionId: r.sessionid, nasPortId: r.portid, framedIp: r.framed, startedAt: r.started });
  }
  const nas: NasEndpoint[] = [...byNas.keys()].map((address) => ({ address, secret: args.secret, identifier: identifierOf(address) }));
  const sessions = nas.map((n) => byNas.get(n.address)!);
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  process.on('SIGTERM', () => stop());
  const load = runLoad({
    host: args.host,
    port: args.port,
    sources: nas,
    workload: interimWorkload(nas, sessions),
    mode: { kind: 'open', rate: args.rate },
    durationMs: 3_600_000,
    warmupMs: 0,
    timeoutMs: args.timeoutMs,
    until: stopped,
  });
  console.log(`ready ${rows.length} ${nas.length}`);
  const report = await load;
  console.log(`report ${JSON.stringify(report)}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(`interim load failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  process.exit(1);
});
