import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { sql } from 'drizzle-orm';
import { encryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { subscriberPasswordBinding } from './subscribers';

/** Test helpers for the RADIUS service: rows as the panel writes them, radclient, raw datagrams. */
export async function makeSubscriber(opts: {
  username: string;
  password: string;
  nasId?: number | null;
  planId?: number | null;
  isActive?: boolean;
  staticIp?: string | null;
}) {
  const [{ id }] = await db().execute<{ id: number }>(sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`);
  const enc = encryptSecret(opts.password, subscriberPasswordBinding(id));
  await db().execute(sql`insert into subscribers (id, username, password_enc, nas_id, plan_id, is_active, static_ip)
    values (${id}, ${opts.username}, ${enc}, ${opts.nasId ?? null}, ${opts.planId ?? null}, ${opts.isActive ?? true}, ${opts.staticIp ?? null})`);
  return id;
}

export async function makePlan(
  over: Partial<{
    name: string;
    downloadKbps: number;
    uploadKbps: number;
    filterId: string;
    framedPool: string;
    interimIntervalS: number;
  }> = {},
) {
  const p = {
    name: `plan-${Math.random().toString(36).slice(2, 8)}`,
    downloadKbps: 50_000,
    uploadKbps: 10_000,
    filterId: 'RES-50M',
    framedPool: 'ppp-main',
    interimIntervalS: 300,
    ...over,
  };
  const [{ id }] = await db().execute<{
    id: number;
  }>(sql`insert into plans (name, download_kbps, upload_kbps, filter_id, framed_pool, interim_interval_s)
    values (${p.name}, ${p.downloadKbps}, ${p.uploadKbps}, ${p.filterId}, ${p.framedPool}, ${p.interimIntervalS}) returning id`);
  return id;
}

/** FreeRADIUS's radclient (Debian's freeradius-utils): an independent client. Resolves with its output. */
export function radclient(args: {
  port: number;
  type: 'auth' | 'acct';
  secret: string;
  attributes: string;
  timeoutS?: number;
  retries?: number;
}): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      'radclient',
      ['-x', '-t', String(args.timeoutS ?? 2), '-r', String(args.retries ?? 1), `127.0.0.1:${args.port}`, args.type, args.secret],
      { timeout: 20_000 },
      (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin!.end(`${args.attributes}\n`);
  });
}

/** Sends a datagram from `source` and waits for at most one answer. */
export function exchange(
  datagram: Buffer,
  to: { port: number; host?: string },
  source = '127.0.0.1',
  timeoutMs = 1500,
): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (reply: Buffer | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    socket.on('message', (m) => done(m));
    socket.on('error', reject);
    socket.bind(0, source, () => socket.send(datagram, to.port, to.host ?? '127.0.0.1'));
  });
}

/** Sends the same datagram `times` times from ONE socket (a NAS retransmitting), collecting every answer. */
export function retransmit(datagram: Buffer, to: { port: number }, times: number, gapMs = 100): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', async () => {
      for (let i = 0; i < times; i++) {
        socket.send(datagram, to.port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, gapMs));
      }
      // Late replies on a loaded machine: wait until every datagram had its answer, for 2 s at most.
      for (let waited = 0; waited < 2000 && replies.length < times; waited += 50) await new Promise((r) => setTimeout(r, 50));
      socket.close();
      resolve(replies);
    });
  });
}
