/**
 * The generator's encoding checked by FreeRADIUS itself, so that it cannot agree with our own responder on
 * a shared mistake: radiusd (files mode, no database) must accept its PAP requests (password decryption and
 * Message-Authenticator), answer its accounting (Request Authenticator) and decode every attribute as sent;
 * radclient must accept our responder's replies.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreeradiusInstalled, freeUdpPorts, startFreeradius, writeFreeradiusConfig, type RunningFreeradius } from './freeradius';
import { runLoad, type Workload } from './load';
import { Attr, decodeRequest } from './packet';
import { startResponder } from './responder';
import { subscriberName, subscriberPassword } from './subscribers';
import { accountingWorkload, papWorkload, type NasEndpoint } from './workloads';

const NAS: NasEndpoint[] = [
  { address: '127.0.94.1', secret: 'cross-check-one', identifier: 'bng-1' },
  { address: '127.0.94.2', secret: 'cross-check-two', identifier: 'bng-2' },
];
const USERS = 20;
let dir = '';
let fr: RunningFreeradius | null = null;
let ports: number[] = [];

beforeAll(async () => {
  ensureFreeradiusInstalled();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-freeradius-test-'));
  ports = await freeUdpPorts('127.0.0.1', 2);
  const raddb = writeFreeradiusConfig({
    dir,
    address: '127.0.0.1',
    authPort: ports[0],
    acctPort: ports[1],
    maxRequests: 16384,
    clients: NAS.map((n) => ({ address: n.address, secret: n.secret, shortname: n.identifier })),
    users: Array.from({ length: USERS }, (_, i) => ({
      username: subscriberName(i + 1),
      password: subscriberPassword(subscriberName(i + 1)),
    })),
  });
  fr = await startFreeradius({ raddb, dir });
}, 300_000);

afterAll(async () => {
  await fr?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Keeps what was sent, decoded by our own decoder, to compare with FreeRADIUS's reading of it. */
function recording(w: Workload, sent: Map<string, Map<number, Buffer>>): Workload {
  return {
    next(source, id) {
      const p = w.next(source, id);
      if (p) {
        const req = decodeRequest(p.packet, NAS[source].secret)!;
        const attrs = new Map([...req.attrs].map(([t, v]) => [t, v[0]]));
        sent.set(`${attrs.get(Attr.AcctSessionId)}/${attrs.get(Attr.AcctStatusType)!.readUInt32BE(0)}`, attrs);
      }
      return p;
    },
    settle: w.settle?.bind(w),
  };
}

describe('the generator against FreeRADIUS', () => {
  it('gets every PAP request accepted (FreeRADIUS decrypted the password and verified Message-Authenticator)', async () => {
    const r = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: NAS,
      workload: papWorkload(NAS, { subscribers: USERS }),
      mode: { kind: 'closed', outstanding: 8 },
      durationMs: 300,
    });
    expect(r.sent).toBeGreaterThan(20);
    expect(r.accepts).toBe(r.sent);
  });

  it('gets a wrong password rejected, and nothing back for a wrong secret', async () => {
    const wrongPassword = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: NAS,
      workload: papWorkload(NAS, { subscribers: USERS, password: () => 'not-it' }),
      mode: { kind: 'closed', outstanding: 2 },
      durationMs: 50,
      timeoutMs: 3_000, // FreeRADIUS delays a reject by reject_delay (1 s)
    });
    expect(wrongPassword.rejects).toBe(wrongPassword.sent);
    const wrongSecret = NAS.map((n) => ({ ...n, secret: 'not-the-secret' }));
    const r = await runLoad({
      host: '127.0.0.1',
      port: ports[0],
      sources: wrongSecret,
      workload: papWorkload(wrongSecret, { subscribers: USERS }),
      mode: { kind: 'closed', outstanding: 2 },
      durationMs: 50,
      timeoutMs: 500,
    });
    expect(r.timeouts).toBe(r.sent);
    expect(r.sent).toBeGreaterThan(0);
  });

  it('gets accounting answered, and FreeRADIUS reads every attribute as the generator meant it', async () => {
    const sent = new Map<string, Map<number, Buffer>>();
    const r = await runLoad({
      host: '127.0.0.1',
      port: ports[1],
      sources: NAS,
      workload: recording(accountingWorkload(NAS, { subscribers: USERS, sessionsPerNas: 5, interims: 1 }), sent),
      mode: { kind: 'closed', outstanding: 4 },
      durationMs: 300,
    });
    expect(r.responses).toBe(r.sent);
    expect(r.byKind.stop.answered).toBeGreaterThan(0);
    const detail = fs.readFileSync(path.join(dir, 'radacct/detail'), 'utf8');
    const records = detail.split(/\n\n+/).filter((b) => b.includes('Acct-Status-Type'));
    expect(records.length).toBe(r.sent);
    let stops = 0;
    for (const rec of records) {
      const v = (name: string) => new RegExp(`^\\s*${name} = (.*)$`, 'm').exec(rec)?.[1].replace(/^"|"$/g, '');
      const status = { Start: 1, Stop: 2, 'Interim-Update': 3 }[v('Acct-Status-Type')!]!;
      const a = sent.get(`${v('Acct-Session-Id')}/${status}`)!;
      expect(a, rec).toBeDefined();
      expect(v('User-Name')).toBe(a.get(Attr.UserName)!.toString());
      expect(v('NAS-IP-Address')).toBe(a.get(Attr.NasIpAddress)!.join('.'));
      expect(v('Framed-IP-Address')).toBe(a.get(Attr.FramedIpAddress)!.join('.'));
      expect(v('NAS-Identifier')).toBe(a.get(Attr.NasIdentifier)!.toString());
      expect(v('Calling-Station-Id')).toBe(a.get(Attr.CallingStationId)!.toString());
      expect(v('Acct-Unique-Session-Id')).toMatch(/^[0-9a-f]{32}$/);
      const ts = Date.parse(`${v('Event-Timestamp')!.replace(/ UTC$/, '')} UTC`) / 1000;
      expect(ts).toBe(a.get(Attr.EventTimestamp)!.readUInt32BE(0));
      if (status !== 1) {
        for (const [name, t] of [
          ['Acct-Input-Octets', Attr.AcctInputOctets],
          ['Acct-Output-Octets', Attr.AcctOutputOctets],
          ['Acct-Output-Gigawords', Attr.AcctOutputGigawords],
          ['Acct-Session-Time', Attr.AcctSessionTime],
        ] as const)
          expect(Number(v(name)), name).toBe(a.get(t)!.readUInt32BE(0));
      }
      if (status === 2) {
        stops++;
        expect(v('Acct-Terminate-Cause')).toBe('User-Request');
      }
    }
    expect(stops).toBe(r.byKind.stop.sent);
  });

  it('gets nothing back for accounting signed with the wrong secret', async () => {
    const wrong = NAS.map((n) => ({ ...n, secret: 'not-the-secret' }));
    const r = await runLoad({
      host: '127.0.0.1',
      port: ports[1],
      sources: wrong,
      workload: accountingWorkload(wrong, { subscribers: USERS, sessionsPerNas: 5, interims: 1 }),
      mode: { kind: 'closed', outstanding: 2 },
      durationMs: 50,
      timeoutMs: 500,
    });
    expect(r.sent).toBeGreaterThan(0);
    expect(r.timeouts).toBe(r.sent);
  });
});

describe('radclient against our responder', () => {
  // Asynchronous: the responder answers from this very process.
  const radclient = (port: number, command: 'auth' | 'acct', input: string) =>
    new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve) => {
      const c = spawn('radclient', ['-x', '-r', '1', '-t', '2', `127.0.0.1:${port}`, command, 'radclient-secret']);
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (b) => (stdout += b));
      c.stderr.on('data', (b) => (stderr += b));
      c.on('close', (status) => resolve({ stdout, stderr, status }));
      c.stdin.end(input);
    });

  it('accepts its replies, and refuses one signed with another secret', async () => {
    let wrong = false;
    const responder = await startResponder({
      host: '127.0.0.1',
      clients: new Map([['127.0.0.1', 'radclient-secret']]),
      password: subscriberPassword,
      replySecret: () => (wrong ? 'other' : undefined),
    });
    try {
      const user = subscriberName(7);
      const ok = await radclient(
        responder.port,
        'auth',
        `User-Name = "${user}", User-Password = "${subscriberPassword(user)}", Message-Authenticator = 0x00\n`,
      );
      expect(ok.stdout).toMatch(/Received Access-Accept/);
      expect(ok.status).toBe(0);
      const rejected = await radclient(
        responder.port,
        'auth',
        `User-Name = "${user}", User-Password = "nope", Message-Authenticator = 0x00\n`,
      );
      expect(rejected.stdout).toMatch(/Received Access-Reject/);
      const acct = await radclient(
        responder.port,
        'acct',
        `Acct-Status-Type = Start, User-Name = "${user}", Acct-Session-Id = "x1", NAS-IP-Address = 127.0.0.1\n`,
      );
      expect(acct.stdout).toMatch(/Received Accounting-Response/);
      expect(acct.status).toBe(0);
      expect(responder.stats.unverified).toBe(0); // our decoder verified radclient's requests
      wrong = true;
      const bad = await radclient(
        responder.port,
        'auth',
        `User-Name = "${user}", User-Password = "${subscriberPassword(user)}", Message-Authenticator = 0x00\n`,
      );
      expect(bad.stdout + bad.stderr).not.toMatch(/Received Access-Accept/);
      expect(bad.status).not.toBe(0);
    } finally {
      await responder.close();
    }
  });
});
