import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { decodeReply, encodeAccessRequest, encodeAccountingRequest, msChap2SuccessMatches } from '@/server/integrations/radius';
import { makeNas, makeUser } from '@/test/fixtures';
import { startRadiusService, type RadiusService } from './main';
import { exchange, makePlan, makeSubscriber, radclient, retransmit } from './test-support';

/**
 * The RADIUS service end to end: real UDP sockets on loopback, FreeRADIUS's radclient as the independent client
 * (it sends from 127.0.0.1, so the NAS row for radclient is 127.0.0.1), our own encoder for what radclient cannot
 * send (another source address, a wrong secret, a missing Message-Authenticator).
 */
const SECRET = 'radius-test-secret';
let service: RadiusService;
let nasId: number;
let planId: number;
const logLines: string[] = [];

beforeAll(async () => {
  const admin = await makeUser({ role: 'admin' });
  nasId = (await makeNas(admin, { name: 'radclient', ipAddress: '127.0.0.1', secret: SECRET })).id;
  planId = await makePlan();
  await makeSubscriber({ username: 'alice', password: 'alice-pass', nasId, planId });
  await makeSubscriber({ username: 'dora', password: 'dora-pass', nasId, planId, isActive: false });
  service = await startRadiusService({
    addresses: ['127.0.0.1'],
    authPort: 0,
    acctPort: 0,
    log: (l) => {
      logLines.push(l);
      if (process.env.RADIUS_TEST_LOG) console.log(l);
    },
  });
});
afterAll(async () => {
  await service?.stop();
});

describe('authentication', () => {
  it('accepts PAP from radclient with the plan as Mikrotik-Rate-Limit, Message-Authenticator first', async () => {
    const out = await radclient({
      port: service.ports.auth,
      type: 'auth',
      secret: SECRET,
      attributes: 'User-Name = "alice", User-Password = "alice-pass", Message-Authenticator = 0x00',
    });
    expect(out).toContain('Received Access-Accept');
    expect(out).toMatch(/Mikrotik-Rate-Limit = "10000k\/50000k"/);
    expect(out).toMatch(/Framed-Pool = "ppp-main"/);
    expect(out).not.toMatch(/invalid|does not match|Message-Authenticator.*(bad|invalid)/i);
    // The first attribute of the reply is Message-Authenticator (BlastRADIUS).
    const firstAttribute = out
      .split('Received Access-Accept')[1]
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.includes(' = '));
    expect(firstAttribute).toMatch(/^Message-Authenticator = /);
  });

  it('accepts CHAP, rejects a wrong password without saying which part was wrong', async () => {
    const chap = await radclient({
      port: service.ports.auth,
      type: 'auth',
      secret: SECRET,
      attributes: 'User-Name = "alice", CHAP-Password = "alice-pass", Message-Authenticator = 0x00',
    });
    expect(chap).toContain('Received Access-Accept');
    const wrong = await radclient({
      port: service.ports.auth,
      type: 'auth',
      secret: SECRET,
      attributes: 'User-Name = "alice", User-Password = "nope", Message-Authenticator = 0x00',
    });
    expect(wrong).toContain('Received Access-Reject');
    expect(wrong).toMatch(/Reply-Message = "Authentication failed"/);
    const disabled = await radclient({
      port: service.ports.auth,
      type: 'auth',
      secret: SECRET,
      attributes: 'User-Name = "dora", User-Password = "dora-pass", Message-Authenticator = 0x00',
    });
    expect(disabled).toMatch(/Reply-Message = "Account disabled"/);
  });

  it('drops an Access-Request without Message-Authenticator while the NAS requires it', async () => {
    const out = await radclient({
      port: service.ports.auth,
      type: 'auth',
      secret: SECRET,
      attributes: 'User-Name = "alice", User-Password = "alice-pass"',
      timeoutS: 1,
      retries: 1,
    });
    expect(out).not.toContain('Received');
    expect(out).toMatch(/No reply|timed out|no response/i);
  });
});

describe('clients', () => {
  it('drops a packet from an unknown address without a reply, and records it', async () => {
    const request = encodeAccessRequest({
      secret: SECRET,
      identifier: 7,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
      attributes: [
        ['NAS-Identifier', 'mystery-router'],
        ['NAS-IP-Address', '198.51.100.9'],
      ],
    });
    expect(await exchange(request.packet, { port: service.ports.auth }, '127.0.93.9')).toBeNull();
    await service.flush();
    const [row] = await db().execute<{ nas_identifier: string; nas_ip_address: string; packets: string }>(sql`
      select nas_identifier, nas_ip_address, packets::text from radius_unknown_clients where source_ip = '127.0.93.9'`);
    expect(row).toEqual({ nas_identifier: 'mystery-router', nas_ip_address: '198.51.100.9', packets: '1' });
  });

  it('drops a packet signed with another secret and counts it as a secret mismatch', async () => {
    const request = encodeAccessRequest({
      secret: 'not-the-secret',
      identifier: 9,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
    });
    expect(await exchange(request.packet, { port: service.ports.auth })).toBeNull();
    await service.flush();
    const [stats] = await db().execute<{ mm: number }>(
      sql`select sum(secret_mismatches)::int as mm from nas_radius_stats where nas_id = ${nasId}`,
    );
    expect(stats.mm).toBeGreaterThanOrEqual(1);
  });

  it('answers a retransmission with the same reply, and processes the request once', async () => {
    const request = encodeAccessRequest({
      secret: SECRET,
      identifier: 11,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
    });
    await service.flush();
    const before = await requests();
    const replies = await retransmit(request.packet, { port: service.ports.auth }, 3);
    expect(replies).toHaveLength(3);
    expect(replies[1].equals(replies[0]) && replies[2].equals(replies[0])).toBe(true);
    await service.flush();
    expect((await requests()) - before).toBe(1);
    // Accounting too, retransmitted while the first is still being committed: those get nothing (the NAS tries
    // again), later ones the same reply; one row either way.
    const acct = encodeAccountingRequest({
      secret: SECRET,
      identifier: 12,
      attributes: [
        ['Acct-Status-Type', 'Start'],
        ['User-Name', 'alice'],
        ['Acct-Session-Id', 'retx-1'],
      ],
    });
    const acctReplies = await retransmit(acct, { port: service.ports.acct }, 4, 5);
    expect(acctReplies.length).toBeGreaterThanOrEqual(1);
    expect(acctReplies.every((r) => r.equals(acctReplies[0]))).toBe(true);
    expect((await db().execute(sql`select 1 from radacct where acctsessionid = 'retx-1'`)).length).toBe(1);
  });
});

async function requests() {
  const [r] = await db().execute<{ n: number }>(
    sql`select coalesce(sum(requests), 0)::int as n from nas_radius_stats where nas_id = ${nasId}`,
  );
  return r.n;
}

describe('accounting', () => {
  it('stores Start, Interim and Stop from radclient and replies after the commit', async () => {
    const common =
      'User-Name = "alice", Acct-Session-Id = "rc-1", NAS-IP-Address = 127.0.0.1, NAS-Port = 5, Framed-IP-Address = 100.64.0.5, Calling-Station-Id = "AA:BB:CC:DD:EE:01"';
    const openNow = async () =>
      (
        await db().execute<{ n: number }>(
          sql`select coalesce(max(open), 0)::int as n from nas_session_counts where nasipaddress = '127.0.0.1'`,
        )
      )[0].n;
    const before = await openNow();
    expect(
      await radclient({ port: service.ports.acct, type: 'acct', secret: SECRET, attributes: `Acct-Status-Type = Start, ${common}` }),
    ).toContain('Received Accounting-Response');
    expect(await openNow()).toBe(before + 1);
    expect(
      await radclient({
        port: service.ports.acct,
        type: 'acct',
        secret: SECRET,
        attributes: `Acct-Status-Type = Interim-Update, Acct-Session-Time = 60, Acct-Input-Octets = 1000, Acct-Input-Gigawords = 1, ${common}`,
      }),
    ).toContain('Received Accounting-Response');
    const [row] = await db().execute<{ inp: number; st: number }>(
      sql`select acctinputoctets::float8 as inp, acctsessiontime::float8 as st from radacct where acctsessionid = 'rc-1'`,
    );
    expect(row).toEqual({ inp: 2 ** 32 + 1000, st: 60 });
    expect(
      await radclient({
        port: service.ports.acct,
        type: 'acct',
        secret: SECRET,
        attributes: `Acct-Status-Type = Stop, Acct-Session-Time = 90, Acct-Terminate-Cause = User-Request, ${common}`,
      }),
    ).toContain('Received Accounting-Response');
    const [closed] = await db().execute<{ cause: string; stopped: boolean }>(
      sql`select acctterminatecause as cause, acctstoptime is not null as stopped from radacct where acctsessionid = 'rc-1'`,
    );
    expect(closed).toEqual({ cause: 'User-Request', stopped: true });
    await service.flush();
    const [nas] = await db().execute<{ seen: boolean; online: boolean }>(
      sql`select last_seen is not null as seen, is_online as online from nas_devices where id = ${nasId}`,
    );
    expect(nas).toEqual({ seen: true, online: true });
  });

  it('drops accounting whose Request Authenticator does not verify', async () => {
    const request = encodeAccountingRequest({
      secret: 'wrong',
      identifier: 3,
      attributes: [
        ['Acct-Status-Type', 'Start'],
        ['User-Name', 'x'],
        ['Acct-Session-Id', 'bad'],
      ],
    });
    expect(await exchange(request, { port: service.ports.acct })).toBeNull();
    expect((await db().execute(sql`select 1 from radacct where acctsessionid = 'bad'`)).length).toBe(0);
  });
});

describe('MS-CHAPv2, realms, NAS types, lost packets', () => {
  it('accepts MS-CHAPv2 with MS-CHAP2-Success the client can verify, and the MPPE keys', async () => {
    const request = encodeAccessRequest({ secret: SECRET, userName: 'alice', credentials: { method: 'mschapv2', password: 'alice-pass' } });
    const reply = await exchange(request.packet, { port: service.ports.auth });
    const decoded = decodeReply({ reply: reply!, request: request.packet, secret: SECRET, requireMessageAuthenticator: true });
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.reply.codeName).toBe('Access-Accept');
    expect(msChap2SuccessMatches(decoded.reply.raw('MS-CHAP2-Success')!, request.msChapV2!.expectedAuthenticatorResponse)).toBe(true);
    expect(decoded.reply.raw('MS-MPPE-Send-Key')).toBeDefined();
    expect(decoded.reply.raw('MS-MPPE-Recv-Key')).toBeDefined();
    const wrong = encodeAccessRequest({ secret: SECRET, userName: 'alice', credentials: { method: 'mschapv2', password: 'nope' } });
    const rejected = decodeReply({
      reply: (await exchange(wrong.packet, { port: service.ports.auth }))!,
      request: wrong.packet,
      secret: SECRET,
    });
    expect(rejected.ok && rejected.reply.codeName).toBe('Access-Reject');
    expect(rejected.ok && rejected.reply.text('MS-CHAP-Error')).toMatch(/E=691/);
  });

  it("rejects a realm outside the NAS's Allowed Realms with a Reply-Message saying so, and gives a generic NAS Filter-Id and WISPr rates", async () => {
    await db().execute(sql`update nas_devices set allowed_realms = 'isp.example', type = 'generic' where id = ${nasId}`);
    await makeSubscriber({ username: 'erin@isp.example', password: 'erin-pass', nasId, planId });
    await new Promise((r) => setTimeout(r, 300)); // the change reaches the service at commit, through LISTEN
    try {
      const outside = await radclient({
        port: service.ports.auth,
        type: 'auth',
        secret: SECRET,
        attributes: 'User-Name = "alice", User-Password = "alice-pass", Message-Authenticator = 0x00',
      });
      expect(outside).toContain('Received Access-Reject');
      expect(outside).toMatch(/Reply-Message = "A realm is required on this NAS \(@isp.example\)"/);
      const other = await radclient({
        port: service.ports.auth,
        type: 'auth',
        secret: SECRET,
        attributes: 'User-Name = "zed@other.example", User-Password = "x", Message-Authenticator = 0x00',
      });
      expect(other).toMatch(/Reply-Message = "Realm @other.example is not accepted on this NAS"/);
      const inside = await radclient({
        port: service.ports.auth,
        type: 'auth',
        secret: SECRET,
        attributes: 'User-Name = "erin@isp.example", User-Password = "erin-pass", Message-Authenticator = 0x00',
      });
      expect(inside).toContain('Received Access-Accept');
      expect(inside).toMatch(/Filter-Id = "RES-50M"/);
      expect(inside).toMatch(/WISPr-Bandwidth-Max-Up = 10000000/);
      expect(inside).toMatch(/WISPr-Bandwidth-Max-Down = 50000000/);
      expect(inside).not.toMatch(/Mikrotik-Rate-Limit/);
    } finally {
      await db().execute(sql`update nas_devices set allowed_realms = '', type = 'mikrotik' where id = ${nasId}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  it("creates the row from an Interim whose Start was lost, and closes the NAS's sessions on Accounting-On", async () => {
    const interim =
      'Acct-Status-Type = Interim-Update, User-Name = "alice", Acct-Session-Id = "lost-start", NAS-IP-Address = 127.0.0.1, Acct-Session-Time = 600';
    expect(await radclient({ port: service.ports.acct, type: 'acct', secret: SECRET, attributes: interim })).toContain(
      'Received Accounting-Response',
    );
    const [row] = await db().execute<{ age: number; open: boolean }>(sql`
      select round(extract(epoch from acctupdatetime - acctstarttime))::int as age, acctstoptime is null as open from radacct where acctsessionid = 'lost-start'`);
    expect(row).toEqual({ age: 600, open: true });
    expect(
      await radclient({
        port: service.ports.acct,
        type: 'acct',
        secret: SECRET,
        attributes: 'Acct-Status-Type = Accounting-On, NAS-IP-Address = 127.0.0.1',
      }),
    ).toContain('Received Accounting-Response');
    const open = await db().execute(sql`select 1 from radacct where nasipaddress = '127.0.0.1' and acctstoptime is null`);
    expect(open.length).toBe(0);
    const [cause] = await db().execute<{ c: string }>(sql`select acctterminatecause as c from radacct where acctsessionid = 'lost-start'`);
    expect(cause.c).toBe('NAS-Reboot');
  });

  it('drops accounting from a NAS deleted in the middle of a session (its address is no NAS any more)', async () => {
    const admin = await makeUser({ role: 'admin' });
    const source = '127.0.95.1';
    const gone = await makeNas(admin, { ipAddress: source, secret: 'gone-secret' });
    await new Promise((r) => setTimeout(r, 300));
    const start = encodeAccountingRequest({
      secret: 'gone-secret',
      attributes: [
        ['Acct-Status-Type', 'Start'],
        ['User-Name', 'alice'],
        ['Acct-Session-Id', 'mid-1'],
      ],
    });
    expect(await exchange(start, { port: service.ports.acct }, source)).not.toBeNull();
    // The panel refuses to delete a NAS with open sessions; someone deletes the row anyway.
    await db().execute(sql`delete from nas_devices where id = ${gone.id}`);
    await new Promise((r) => setTimeout(r, 300));
    const stop = encodeAccountingRequest({
      secret: 'gone-secret',
      attributes: [
        ['Acct-Status-Type', 'Stop'],
        ['User-Name', 'alice'],
        ['Acct-Session-Id', 'mid-1'],
      ],
    });
    expect(await exchange(stop, { port: service.ports.acct }, source)).toBeNull();
    const [row] = await db().execute<{ open: boolean }>(
      sql`select acctstoptime is null as open from radacct where acctsessionid = 'mid-1'`,
    );
    expect(row.open).toBe(true);
  });
});

describe('a NAS that sends garbage', () => {
  it('gets no reply and no crash for malformed datagrams on either port, and is answered right after', async () => {
    const header = (code: number, length: number, body: Buffer = Buffer.alloc(0)) => {
      const b = Buffer.alloc(20 + body.length);
      b[0] = code;
      b[1] = 99;
      b.writeUInt16BE(length, 2);
      body.copy(b, 20);
      return b;
    };
    const garbage: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([1, 2, 3]),
      header(1, 4096), // Length past the datagram
      header(1, 19), // Length below the header
      header(1, 22, Buffer.from([1, 0])), // an attribute of length 0 (a naive walker never ends)
      header(1, 22, Buffer.from([1, 1])), // length 1
      header(1, 24, Buffer.from([1, 200, 0, 0])), // an attribute running past the packet
      header(4, 20), // Accounting-Request on the auth port (and Access-Request on the acct port below)
      header(42, 20), // no such code
    ];
    for (let i = 0; i < 200; i++) {
      const random = Buffer.from(Array.from({ length: 20 + ((i * 37) % 300) }, (_, j) => (i * 131 + j * 17) & 0xff));
      random[0] = [1, 4, 12, 40, 43][i % 5];
      random.writeUInt16BE(random.length, 2);
      garbage.push(random);
    }
    for (const port of [service.ports.auth, service.ports.acct]) {
      const replies = await Promise.all(garbage.slice(0, 12).map((g) => exchange(g, { port }, '127.0.0.1', 400)));
      expect(replies.every((r) => r === null)).toBe(true);
      await Promise.all(garbage.slice(12).map((g) => exchange(g, { port }, '127.0.0.1', 50)));
    }
    expect(logLines.filter((l) => l.includes('failed unexpectedly'))).toEqual([]);
    const ok = encodeAccessRequest({
      secret: SECRET,
      identifier: 200,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
    });
    const reply = await exchange(ok.packet, { port: service.ports.auth });
    const decoded = decodeReply({ reply: reply!, request: ok.packet, secret: SECRET });
    expect(decoded.ok && decoded.reply.codeName).toBe('Access-Accept');
  });

  it('refuses Proxy-State without Message-Authenticator even where Message-Authenticator is optional', async () => {
    const admin = await makeUser({ role: 'admin' });
    const source = '127.0.95.7';
    const legacy = await makeNas(admin, { ipAddress: source, secret: SECRET, requireMessageAuthenticator: false });
    await new Promise((r) => setTimeout(r, 300));
    const plain = encodeAccessRequest({
      secret: SECRET,
      identifier: 1,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
      messageAuthenticator: false,
    });
    expect(await exchange(plain.packet, { port: service.ports.auth }, source)).not.toBeNull();
    const proxied = encodeAccessRequest({
      secret: SECRET,
      identifier: 2,
      userName: 'alice',
      credentials: { method: 'pap', password: 'alice-pass' },
      messageAuthenticator: false,
      proxyStates: [Buffer.from('hop-1')],
    });
    expect(await exchange(proxied.packet, { port: service.ports.auth }, source)).toBeNull();
    await service.flush();
    const [stats] = await db().execute<{ missing: number }>(
      sql`select sum(missing_message_authenticator)::int as missing from nas_radius_stats where nas_id = ${legacy.id}`,
    );
    expect(stats.missing).toBe(1);
  });

  it('logs why a login was refused, never the password, and a User-Name cannot forge log lines', async () => {
    const wrong = encodeAccessRequest({
      secret: SECRET,
      identifier: 201,
      userName: 'alice',
      credentials: { method: 'pap', password: 'Sup3r-secret-guess' },
    });
    expect(await exchange(wrong.packet, { port: service.ports.auth })).not.toBeNull();
    const forged = encodeAccessRequest({
      secret: SECRET,
      identifier: 202,
      userName: 'mallory\n[radius] Access-Accept for admin',
      credentials: { method: 'pap', password: 'x' },
    });
    expect(await exchange(forged.packet, { port: service.ports.auth })).not.toBeNull();
    // Nor can a NAS-Identifier from an unknown address (nothing of it is verified).
    await new Promise((r) => setTimeout(r, 1100)); // the unknown-device log is rate-limited to one line a second
    const stranger = encodeAccessRequest({
      secret: 'x',
      identifier: 203,
      userName: 'u',
      credentials: { method: 'pap', password: 'p' },
      attributes: [['NAS-Identifier', 'edge\n[radius] Access-Accept for admin']],
    });
    expect(await exchange(stranger.packet, { port: service.ports.auth }, '127.0.95.9', 300)).toBeNull();
    expect(logLines.some((l) => l.includes('127.0.95.9'))).toBe(true);
    const text = logLines.join('\n');
    expect(text).toMatch(/Access-Reject for "alice" from NAS radclient: wrong password \(pap\)/);
    expect(text).not.toContain('Sup3r-secret-guess');
    expect(text).not.toContain('alice-pass');
    // As a terminal or a log file would show them: a raw newline inside an entry would start a forged line.
    expect(text.split('\n').some((l) => l.startsWith('[radius] Access-Accept for admin'))).toBe(false);
  });
});
