/**
 * FreeRADIUS 3.2 (Debian's packages) as the bench's anchor: installed when missing, configured in a private
 * directory (the package's stock files copied, then radiusd.conf, the modules and one virtual server
 * written here), run as a foreground child process, stopped cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const STOCK_RADDB = '/etc/freeradius/3.0';
const BINARY = '/usr/sbin/freeradius';
const SQL_DRIVER = '/usr/lib/freeradius/rlm_sql_postgresql.so';

/** Debian's freeradius + freeradius-postgresql, installed as root through apt-get when either is missing. */
export function ensureFreeradiusInstalled(log: (s: string) => void = console.log): void {
  if (fs.existsSync(BINARY) && fs.existsSync(SQL_DRIVER) && fs.existsSync(STOCK_RADDB)) return;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get'))
    throw new Error('FreeRADIUS is not installed: run as root with apt, or `apt-get install freeradius freeradius-postgresql`');
  log("installing Debian's freeradius and freeradius-postgresql");
  // The package's postinst would start a system-wide daemon on 1812/1813; policy-rc.d 101 tells it not to.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'freeradius', 'freeradius-postgresql'], { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get install freeradius freeradius-postgresql failed (exit ${r.status})`);
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  if (!fs.existsSync(BINARY) || !fs.existsSync(SQL_DRIVER)) throw new Error('FreeRADIUS installed but its binary or SQL driver is missing');
}

export function freeradiusVersion(): string {
  const r = spawnSync(BINARY, ['-v'], { encoding: 'utf8' });
  const m = /Version ([\d.]+)/.exec(r.stdout ?? '');
  return m ? `FreeRADIUS ${m[1]}` : 'FreeRADIUS (version unknown)';
}

/** The database FreeRADIUS's rlm_sql reads clients and users from and writes accounting to. */
export interface FreeradiusSql {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Its tables (nas, radcheck, radacct …) live in this schema; the connection's search_path points there. */
  schema: string;
}

export interface FreeradiusConfig {
  /** A fresh directory: the raddb, logs and run files go here. */
  dir: string;
  address: string;
  authPort: number;
  acctPort: number;
  /** SQL mode: clients from the `nas` table, users from radcheck, accounting into radacct (stock queries.conf). */
  sql?: FreeradiusSql;
  /** Files mode (no database; the generator's cross-check): clients.conf entries and a users file. */
  clients?: { address: string; secret: string; shortname: string }[];
  users?: { username: string; password: string }[];
  /** Files mode: where the detail module writes every accounting request it received, decoded. */
  detailFile?: string;
  /** Thread pool; FreeRADIUS's shipped defaults when absent (5 start, 32 max, 3-10 spare). */
  threads?: { start: number; max: number; minSpare: number; maxSpare: number };
  /**
   * Requests FreeRADIUS tracks at once, including answered ones kept for `cleanup_delay` (5 s) to catch
   * duplicates. The shipped 16384 drops requests above ~3,000/s; its comment says 256 × the number of clients.
   */
  maxRequests: number;
  /** SO_RCVBUF of its sockets (`recv_buff`), so a burst of requests is not dropped by the kernel; default: the kernel's. */
  recvBuffer?: number;
}

const q = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** Writes a private raddb under `cfg.dir` and returns its path. */
export function writeFreeradiusConfig(cfg: FreeradiusConfig): string {
  const raddb = path.join(cfg.dir, 'raddb');
  // The stock tree for the dictionary, policy.d (acct_unique) and mods-config (queries.conf, schema.sql).
  fs.cpSync(STOCK_RADDB, raddb, { recursive: true, dereference: true });
  for (const d of ['mods-enabled', 'sites-enabled']) {
    fs.rmSync(path.join(raddb, d), { recursive: true, force: true });
    fs.mkdirSync(path.join(raddb, d));
  }
  for (const d of ['log', 'run', 'radacct']) fs.mkdirSync(path.join(cfg.dir, d), { recursive: true });
  const t = cfg.threads ?? { start: 5, max: 32, minSpare: 3, maxSpare: 10 };
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(raddb, rel), text);

  write(
    'radiusd.conf',
    `# Written by bench/radius/freeradius.ts: the stock radiusd.conf's settings, paths moved to this directory.
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = \${exec_prefix}/sbin
logdir = ${cfg.dir}/log
raddbdir = ${raddb}
radacctdir = ${cfg.dir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
certdir = \${confdir}/certs
cadir = \${confdir}/certs
run_dir = ${cfg.dir}/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = ${cfg.maxRequests}
hostname_lookups = no
log {
	destination = files
	colourise = no
	file = \${logdir}/radius.log
	stripped_names = no
	auth = no
	auth_badpass = no
	auth_goodpass = no
}
checkrad = \${sbindir}/checkrad
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 1
	status_server = yes
}
proxy_requests = no
$INCLUDE clients.conf
thread pool {
	start_servers = ${t.start}
	max_servers = ${t.max}
	min_spare_servers = ${t.minSpare}
	max_spare_servers = ${t.maxSpare}
	max_requests_per_server = 0
	auto_limit_acct = no
}
modules {
	$INCLUDE mods-enabled/
}
instantiate {
}
policy {
	$INCLUDE policy.d/
}
$INCLUDE sites-enabled/
`,
  );

  write(
    'clients.conf',
    (cfg.clients ?? []).map((c) => `client ${c.shortname} {\n\tipaddr = ${c.address}\n\tsecret = ${q(c.secret)}\n}\n`).join(''),
  );
  // pap, and expr for the %{md5:…} that the acct_unique policy computes Acct-Unique-Session-Id with.
  for (const m of ['pap', 'expr']) fs.copyFileSync(path.join(STOCK_RADDB, 'mods-available', m), path.join(raddb, 'mods-enabled', m));

  let authorize: string;
  let accounting: string;
  if (cfg.sql) {
    const s = cfg.sql;
    // A libpq connection string: rlm_sql_postgresql passes radius_db through as is when it holds '='.
    const conninfo = [
      `host=${s.host}`,
      `port=${s.port}`,
      `dbname=${s.database}`,
      `user=${s.user}`,
      `password=${s.password}`,
      `options='-c search_path=${s.schema} -c synchronous_commit=on'`,
    ].join(' ');
    write(
      'mods-enabled/sql',
      `# The stock mods-available/sql for PostgreSQL, clients read from the nas table.
sql {
	dialect = "postgresql"
	driver = "rlm_sql_\${dialect}"
	postgresql {
		send_application_name = yes
	}
	radius_db = ${q(conninfo)}
	acct_table1 = "radacct"
	acct_table2 = "radacct"
	postauth_table = "radpostauth"
	authcheck_table = "radcheck"
	groupcheck_table = "radgroupcheck"
	authreply_table = "radreply"
	groupreply_table = "radgroupreply"
	usergroup_table = "radusergroup"
	delete_stale_sessions = yes
	pool {
		start = \${thread[pool].start_servers}
		min = \${thread[pool].min_spare_servers}
		max = \${thread[pool].max_servers}
		spare = \${thread[pool].max_spare_servers}
		uses = 0
		retry_delay = 30
		lifetime = 0
		idle_timeout = 60
	}
	read_clients = yes
	client_table = "nas"
	group_attribute = "SQL-Group"
	$INCLUDE \${modconfdir}/\${.:name}/main/\${dialect}/queries.conf
}
`,
    );
    authorize = 'sql\n\t\tpap';
    accounting = 'sql';
  } else {
    write(
      'mods-enabled/files',
      `files {\n\tmoddir = \${modconfdir}/\${.:instance}\n\tfilename = ${cfg.dir}/users\n\tacctusersfile = \${moddir}/accounting\n\tpreproxy_usersfile = \${moddir}/pre-proxy\n}\n`,
    );
    fs.writeFileSync(
      path.join(cfg.dir, 'users'),
      (cfg.users ?? []).map((u) => `${q(u.username)} Cleartext-Password := ${q(u.password)}\n`).join(''),
    );
    const detail = cfg.detailFile ?? path.join(cfg.dir, 'radacct/detail');
    write(
      'mods-enabled/detail',
      `detail {\n\tfilename = ${q(detail)}\n\tescape_filenames = no\n\tpermissions = 0600\n\theader = "%t"\n\tlocking = yes\n}\n`,
    );
    authorize = 'files\n\t\tpap';
    accounting = 'detail';
  }

  const recvBuff = cfg.recvBuffer ? `\n\t\trecv_buff = ${cfg.recvBuffer}` : '';
  write(
    'sites-enabled/bench',
    `# The least a PPPoE ISP runs: PAP from ${cfg.sql ? 'radcheck' : 'the users file'}, accounting ${cfg.sql ? 'into radacct' : 'to a detail file'}.
server bench {
	listen {
		type = auth
		ipaddr = ${cfg.address}
		port = ${cfg.authPort}${recvBuff}
	}
	listen {
		type = acct
		ipaddr = ${cfg.address}
		port = ${cfg.acctPort}${recvBuff}
	}
	authorize {
		${authorize}
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	preacct {
		acct_unique
	}
	accounting {
		${accounting}
	}
}
`,
  );
  // radiusd refuses a configuration others can write to.
  fs.chmodSync(cfg.dir, 0o750);
  return raddb;
}

export interface RunningFreeradius {
  pid: number;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * `freeradius -f` (foreground, normal logging; `-X` with `debug`) on `raddb`, resolved once it logs
 * "Ready to process requests". Throws with the end of its log when it exits or is not ready in time.
 */
export async function startFreeradius(args: {
  raddb: string;
  dir: string;
  debug?: boolean;
  readyTimeoutMs?: number;
}): Promise<RunningFreeradius> {
  const logFile = path.join(args.dir, 'log/radius.log');
  const child = spawn(BINARY, args.debug ? ['-X', '-d', args.raddb] : ['-f', '-d', args.raddb], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
  let gone: number | string | null = null;
  void exited.then((c) => (gone = c));
  const logTail = (lines = 20) => {
    let text = output;
    try {
      text += fs.readFileSync(logFile, 'utf8');
    } catch {
      /* not written yet */
    }
    return text.trim().split('\n').slice(-lines).join('\n');
  };
  const stop = async () => {
    if (gone !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };

  const deadline = Date.now() + (args.readyTimeoutMs ?? 60_000);
  while (!logTail(1_000).includes('Ready to process requests')) {
    if (gone !== null) throw new Error(`FreeRADIUS exited (${gone}) before it was ready:\n${logTail()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`FreeRADIUS was not ready within ${args.readyTimeoutMs ?? 60_000} ms:\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, logTail, stop };
}

/** `n` UDP ports free on `address` right now (bound to port 0 and released). */
export async function freeUdpPorts(address: string, n: number): Promise<number[]> {
  const { createSocket } = await import('node:dgram');
  const sockets = Array.from({ length: n }, () => createSocket('udp4'));
  try {
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('error', reject);
            s.bind({ address, port: 0 }, () => resolve());
          }),
      ),
    );
    return sockets.map((s) => s.address().port);
  } finally {
    for (const s of sockets) s.close();
  }
}
