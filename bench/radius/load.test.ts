import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RECV_BUFFER, runLoad, type Workload } from './load';
import { AcctStatus, Attr, Code, decodeRequest, encodeReply, type DecodedRequest } from './packet';
import { startResponder, type Responder } from './responder';
import { subscriberName, subscriberPassword } from './subscribers';
import { accountingWorkload, papWorkload, type NasEndpoint } from './workloads';

// Each test file runs in its own process; these addresses are this file's.
const NAS: NasEndpoint[] = [
  { address: '127.0.93.1', secret: 'secret-one', identifier: 'bng-1' },
  { address: '127.0.93.2', secret: 'secret-two', identifier: 'bng-2' },
];
const clients = new Map(NAS.map((n) => [n.address, n.secret]));
let responder: Responder | null = null;
afterEach(async () => {
  await responder?.close();
  responder = null;
});

const pap = (opts: { wrongEvery?: number } = {}): Workload => {
  let n = 0;
  return papWorkload(NAS, {
    subscribers: 1_000,
    password: (u) => (opts.wrongEvery && ++n % opts.wrongEvery === 0 ? 'wrong' : subscriberPassword(u)),
  });
};

describe('the RADIUS load generator', () => {
  it('sends signed PAP requests from each NAS’s own address and counts verified accepts and rejects', async () => {
    const seen = new Map<string, number>();
    responder = await startResponder({
      host: '127.0.0.1',
      clients,
      password: subscriberPassword,
      onRequest: (req, from) => {
        seen.set(from, (seen.get(from) ?? 0) + 1);
        expect(req.attrs.get(Attr.NasIpAddress)![0].join('.')).toBe(from);
      },
    });
    const r = await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: NAS,
      workload: pap({ wrongEvery: 10 }),
      mode: { kind: 'closed', outstanding: 20 },
      durationMs: 500,
    });
    expect(r.sent).toBeGreaterThan(100);
    expect(r.answered).toBe(r.sent);
    expect(r.rejects).toBe(Math.floor(r.sent / 10));
    expect(r.accepts).toBe(r.sent - r.rejects);
    expect(r.timeouts + r.bad + r.stray).toBe(0);
    expect(responder.stats.unverified).toBe(0);
    expect([...seen.keys()].sort()).toEqual(NAS.map((n) => n.address));
    expect(r.latency.p50).toBeGreaterThan(0);
    expect(r.throughput).toBeCloseTo(r.answered / 0.5);
  });

  it('keeps at most 256 requests outstanding per socket, each with its own identifier', async () => {
    const held = new Map<string, Set<number>>();
    let maxHeld = 0;
    let reused = 0;
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER });
    // A responder that answers each request 300 ms later, so the generator's window fills up.
    socket.on('message', (msg, rinfo) => {
      const key = `${rinfo.address}:${rinfo.port}`;
      const secret = clients.get(rinfo.address)!;
      const req = decodeRequest(msg, secret) as DecodedRequest;
      const ids = held.get(key) ?? new Set<number>();
      held.set(key, ids);
      if (ids.has(req.id)) reused++;
      ids.add(req.id);
      maxHeld = Math.max(maxHeld, ids.size);
      setTimeout(() => {
        ids.delete(req.id);
        socket.send(encodeReply({ code: Code.AccessAccept, request: req, secret }), rinfo.port, rinfo.address);
      }, 300);
    });
    await new Promise<void>((r) => socket.bind({ address: '127.0.0.1', port: 0 }, () => r()));
    try {
      const r = await runLoad({
        host: '127.0.0.1',
        port: socket.address().port,
        sources: NAS,
        workload: pap(),
        mode: { kind: 'closed', outstanding: 512 },
        durationMs: 700,
      });
      expect(maxHeld).toBe(256);
      expect(reused).toBe(0);
      expect(held.size).toBe(2);
      expect(r.timeouts + r.bad).toBe(0);
      expect(r.accepts).toBeGreaterThanOrEqual(512);
      await expect(
        runLoad({ host: '127.0.0.1', port: 9, sources: NAS, workload: pap(), mode: { kind: 'closed', outstanding: 513 }, durationMs: 10 }),
      ).rejects.toThrow(/256 each/);
    } finally {
      socket.close();
    }
  });

  it('counts a lost request as a timeout (no retransmission) and a reply signed with another secret as bad', async () => {
    let n = 0;
    responder = await startResponder({
      host: '127.0.0.1',
      clients,
      password: subscriberPassword,
      drop: () => ++n % 20 === 0,
      replySecret: () => (n % 20 === 7 ? 'not-the-secret' : undefined),
    });
    const r = await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: NAS,
      workload: pap(),
      mode: { kind: 'closed', outstanding: 10 },
      durationMs: 400,
      timeoutMs: 300,
    });
    expect(r.sent).toBe(responder.stats.requests); // nothing was sent twice
    expect(r.timeouts).toBe(responder.stats.dropped);
    expect(r.timeouts).toBeGreaterThan(0);
    expect(r.bad).toBeGreaterThan(0);
    expect(r.accepts).toBe(r.sent - r.timeouts - r.bad);
    expect(r.p99All).toBe(Infinity); // 5 % lost: the 99th percentile request never came back
  });

  it('gets no answer from a server that does not know its source address', async () => {
    responder = await startResponder({ host: '127.0.0.1', clients: new Map([['127.0.93.9', 'x']]), password: subscriberPassword });
    const r = await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: NAS,
      workload: pap(),
      mode: { kind: 'closed', outstanding: 4 },
      durationMs: 100,
      timeoutMs: 200,
    });
    expect(r.answered).toBe(0);
    expect(r.timeouts).toBe(r.sent);
    expect(responder.stats.unverified).toBe(r.sent);
  });

  it('holds an open-loop rate whatever the latency, and measures that latency', async () => {
    responder = await startResponder({ host: '127.0.0.1', clients, password: subscriberPassword, delayMs: 25 });
    // The generator's own process stalls across the end of the warm-up: what was due in the warm-up and
    // leaves late must not count in the window.
    setTimeout(() => {
      const until = performance.now() + 200;
      while (performance.now() < until);
    }, 100);
    const r = await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: NAS,
      workload: pap(),
      mode: { kind: 'open', rate: 800 },
      durationMs: 1_000,
      warmupMs: 200,
    });
    expect(Math.abs(r.sent - 800)).toBeLessThanOrEqual(1); // by schedule, even if the machine made it late
    expect(r.maxLagMs).toBeGreaterThanOrEqual(150);
    expect(r.answered).toBe(r.sent);
    expect(r.latency.p50).toBeGreaterThanOrEqual(25);
    expect(r.latency.p50).toBeLessThan(60);
    expect(r.p99All).toBeGreaterThanOrEqual(25);
  });

  it('plays accounting sessions in order: Start, 1-5 interims, Stop, with growing counters, each session on its NAS', async () => {
    const sessions = new Map<string, { from: string; statuses: number[]; octets: bigint[]; user: string }>();
    responder = await startResponder({
      host: '127.0.0.1',
      clients,
      password: subscriberPassword,
      onRequest: (req, from) => {
        expect(req.code).toBe(Code.AccountingRequest);
        const a = (t: number) => req.attrs.get(t)?.[0];
        const id = a(Attr.AcctSessionId)!.toString();
        const s = sessions.get(id) ?? { from, statuses: [], octets: [], user: a(Attr.UserName)!.toString() };
        sessions.set(id, s);
        expect(s.from).toBe(from);
        expect(a(Attr.NasIpAddress)!.join('.')).toBe(from);
        expect(a(Attr.EventTimestamp)!.readUInt32BE(0)).toBeCloseTo(Date.now() / 1000, -1);
        expect(a(Attr.FramedIpAddress)!.length).toBe(4);
        s.statuses.push(a(Attr.AcctStatusType)!.readUInt32BE(0));
        if (a(Attr.AcctInputOctets))
          s.octets.push((BigInt(a(Attr.AcctOutputGigawords)!.readUInt32BE(0)) << 32n) + BigInt(a(Attr.AcctOutputOctets)!.readUInt32BE(0)));
      },
    });
    const r = await runLoad({
      host: '127.0.0.1',
      port: responder.port,
      sources: NAS,
      // Fewer sessions than outstanding requests: a session must wait for its answer before it moves on.
      workload: accountingWorkload(NAS, { subscribers: 1_000, sessionsPerNas: 10, interims: 3 }),
      mode: { kind: 'closed', outstanding: 40 },
      durationMs: 1_000,
    });
    expect(r.responses).toBe(r.sent);
    const { Start, InterimUpdate: I, Stop } = AcctStatus;
    let complete = 0;
    for (const s of sessions.values()) {
      const stop = s.statuses.indexOf(Stop);
      expect(s.statuses.slice(0, 1)).toEqual([Start]);
      expect(s.statuses.slice(1, stop < 0 ? undefined : stop)).toEqual(Array(stop < 0 ? s.statuses.length - 1 : stop - 1).fill(I));
      if (stop >= 0) {
        expect(stop).toBe(s.statuses.length - 1);
        expect(stop - 1).toBeGreaterThanOrEqual(1); // 1 … 5 interims for interims: 3
        expect(stop - 1).toBeLessThanOrEqual(5);
      } else expect(s.statuses.length).toBeLessThanOrEqual(6);
      expect(s.octets).toEqual([...s.octets].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      expect(s.user).toMatch(/^sub\d{7}$/);
      if (stop >= 0) complete++;
    }
    expect(complete).toBeGreaterThan(0);
    expect(complete).toBe(r.byKind.stop.sent);
    expect(sessions.size).toBeGreaterThan(20); // finished sessions were replaced by new ones
    expect(sessions.size).toBeLessThanOrEqual(20 + complete);
    expect(r.byKind.start.sent).toBeGreaterThan(0);
    expect(r.byKind.interim.sent).toBeGreaterThan(r.byKind.stop.sent);
    expect(Object.values(r.byKind).reduce((a, k) => a + k.sent, 0)).toBe(r.sent);
    expect(subscriberName(42)).toBe('sub0000042');
  });
});
