/**
 * What the load generator sends, shaped like a MikroTik PPPoE BNG's requests: PAP Access-Requests for
 * random subscribers, and accounting sessions that each go Start → `interims` × Interim-Update → Stop.
 */
import { randomBytes } from 'node:crypto';
import type { Outcome, Planned, Workload } from './load';
import { AcctStatus, accessRequest, accountingRequest, Attr, int, ip, str, type Attribute } from './packet';
import { subscriberName, subscriberPassword } from './subscribers';

/** A NAS the generator speaks for: its socket binds `address`, which is also its NAS-IP-Address. */
export interface NasEndpoint {
  address: string;
  secret: string;
  /** NAS-Identifier (the router's identity). */
  identifier: string;
}

/** mulberry32: the same sequence of subscribers for the same seed, so two servers get the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ETHERNET = 15;
const FRAMED = 2;
const PPP = 1;

function mac(n: number): string {
  const h = (0x020000000000 + n).toString(16).padStart(12, '0');
  return h.match(/../g)!.join(':').toUpperCase();
}

/** PAP Access-Requests for subscribers `from` … `from + subscribers − 1` (default from 1), picked at random. */
export function papWorkload(
  nas: readonly NasEndpoint[],
  opts: {
    subscribers: number;
    from?: number;
    seed?: number;
    password?: (username: string) => string;
    /** Which subscriber source NAS `nas` asks for, from a uniform random number (default: any of them). */
    pick?: (nas: NasEndpoint, random: number) => number;
  },
): Workload {
  const rand = prng(opts.seed ?? 1);
  const password = opts.password ?? subscriberPassword;
  let n = 0;
  return {
    next(source, id) {
      const e = nas[source];
      const k = opts.pick ? opts.pick(e, rand()) : (opts.from ?? 1) + Math.floor(rand() * opts.subscribers);
      const username = subscriberName(k);
      n++;
      const { packet, authenticator } = accessRequest({
        id,
        secret: e.secret,
        password: password(username),
        attrs: [
          str(Attr.UserName, username),
          int(Attr.ServiceType, FRAMED),
          int(Attr.FramedProtocol, PPP),
          ip(Attr.NasIpAddress, e.address),
          str(Attr.NasIdentifier, e.identifier),
          int(Attr.NasPort, 15_000_000 + (k % 100_000)),
          int(Attr.NasPortType, ETHERNET),
          str(Attr.NasPortId, 'ether2-vlan100'),
          str(Attr.CallingStationId, mac(k)),
          str(Attr.CalledStationId, 'service-bench'),
          str(Attr.AcctSessionId, (0x81000000 + n).toString(16)),
        ],
      });
      return { packet, authenticator, kind: 'pap' };
    },
  };
}

interface Session {
  username: string;
  sessionId: string;
  framedIp: string;
  port: number;
  /** 0: Start next; 1..interims: that Interim-Update next; interims + 1: Stop next. */
  stage: number;
  interims: number;
  startedAt: number;
  inOctets: number;
  outOctets: number;
  inFlight: boolean;
}

/**
 * Accounting sessions, `sessionsPerNas` at a time on each NAS, each one Start → about `interims`
 * Interim-Updates → Stop and then
 * replaced by a fresh session (a new Acct-Session-Id for another subscriber). A session has at most one
 * request outstanding, and moves on only when its request was answered: a lost one is sent again (as a
 * NAS would, with a new identifier). Session ids carry a per-run tag, so runs on one database never collide.
 */
export function accountingWorkload(
  nas: readonly NasEndpoint[],
  opts: { subscribers: number; sessionsPerNas: number; interims: number; seed?: number },
): Workload {
  const rand = prng(opts.seed ?? 2);
  const tag = randomBytes(3).toString('hex');
  let counter = 0;
  const fresh = (): Session => {
    const k = 1 + Math.floor(rand() * opts.subscribers);
    counter++;
    return {
      username: subscriberName(k),
      sessionId: `${tag}${counter.toString(16).padStart(8, '0')}`,
      framedIp: `100.${64 + ((counter >>> 16) & 63)}.${(counter >>> 8) & 255}.${counter & 255}`,
      port: 15_000_000 + (counter % 1_000_000),
      stage: 0,
      // Uniform in 1 … 2·interims − 1 (mean: interims), so sessions that all started together drift apart
      // and the mix settles at 1 : interims : 1 instead of moving in waves.
      interims: 1 + Math.floor(rand() * (2 * opts.interims - 1)),
      startedAt: 0,
      inOctets: 0,
      outOctets: 0,
      inFlight: false,
    };
  };
  const rings = nas.map(() => Array.from({ length: opts.sessionsPerNas }, fresh));
  const cursor = nas.map(() => 0);
  const outstanding = nas.map(() => new Array<Session | undefined>(256));

  return {
    next(source, id) {
      const ring = rings[source];
      let s: Session | undefined;
      for (let tries = 0; tries < ring.length && !s; tries++) {
        const c = ring[cursor[source]];
        cursor[source] = (cursor[source] + 1) % ring.length;
        if (!c.inFlight) s = c;
      }
      if (!s) return null;
      const e = nas[source];
      const now = Math.floor(Date.now() / 1000);
      const status = s.stage === 0 ? AcctStatus.Start : s.stage > s.interims ? AcctStatus.Stop : AcctStatus.InterimUpdate;
      if (status === AcctStatus.Start) s.startedAt = now;
      else {
        // Enough traffic that the Gigawords attributes are exercised too.
        s.inOctets += Math.floor(rand() * 2 ** 31);
        s.outOctets += Math.floor(rand() * 2 ** 33);
      }
      const attrs: Attribute[] = [
        int(Attr.AcctStatusType, status),
        str(Attr.UserName, s.username),
        str(Attr.AcctSessionId, s.sessionId),
        ip(Attr.NasIpAddress, e.address),
        str(Attr.NasIdentifier, e.identifier),
        int(Attr.NasPort, s.port),
        int(Attr.NasPortType, ETHERNET),
        str(Attr.NasPortId, 'ether2-vlan100'),
        int(Attr.ServiceType, FRAMED),
        int(Attr.FramedProtocol, PPP),
        ip(Attr.FramedIpAddress, s.framedIp),
        str(Attr.CallingStationId, mac(s.port)),
        str(Attr.CalledStationId, 'service-bench'),
        int(Attr.AcctAuthentic, 1),
        int(Attr.AcctDelayTime, 0),
        int(Attr.EventTimestamp, now),
      ];
      if (status !== AcctStatus.Start) {
        attrs.push(
          int(Attr.AcctSessionTime, now - s.startedAt),
          int(Attr.AcctInputOctets, s.inOctets % 2 ** 32),
          int(Attr.AcctOutputOctets, s.outOctets % 2 ** 32),
          int(Attr.AcctInputGigawords, Math.floor(s.inOctets / 2 ** 32)),
          int(Attr.AcctOutputGigawords, Math.floor(s.outOctets / 2 ** 32)),
          int(Attr.AcctInputPackets, Math.floor(s.inOctets / 1000) % 2 ** 32),
          int(Attr.AcctOutputPackets, Math.floor(s.outOctets / 1000) % 2 ** 32),
        );
      }
      if (status === AcctStatus.Stop) attrs.push(int(Attr.AcctTerminateCause, 1)); // User-Request
      s.inFlight = true;
      outstanding[source][id] = s;
      const { packet, authenticator } = accountingRequest({ id, secret: e.secret, attrs });
      return { packet, authenticator, kind: status === AcctStatus.Start ? 'start' : status === AcctStatus.Stop ? 'stop' : 'interim' };
    },
    settle(source, planned: Planned, outcome: Outcome) {
      const id = planned.packet[1];
      const s = outstanding[source][id];
      outstanding[source][id] = undefined;
      if (!s) return;
      s.inFlight = false;
      if (outcome !== 'response') return;
      if (s.stage > s.interims) Object.assign(s, fresh());
      else s.stage++;
    },
  };
}

/** An open session of the world (radacct), as its NAS would name it in an Interim-Update. */
export interface OpenSession {
  username: string;
  sessionId: string;
  nasPortId: string;
  framedIp: string;
  /** Acct-Start time, Unix seconds. */
  startedAt: number;
}

/**
 * Interim-Updates for sessions that are open already, each NAS cycling through its own: the steady state of
 * a fleet (200,000 sessions with a 5-minute interim interval are about 700 a second). The attributes are the
 * ones the session's acctuniqueid was computed from, so every update lands on its existing row.
 */
export function interimWorkload(nas: readonly NasEndpoint[], sessions: readonly (readonly OpenSession[])[]): Workload {
  const cursor = nas.map(() => 0);
  return {
    next(source, id) {
      const list = sessions[source];
      if (list.length === 0) return null;
      const s = list[cursor[source]];
      cursor[source] = (cursor[source] + 1) % list.length;
      const e = nas[source];
      const now = Math.floor(Date.now() / 1000);
      const up = Math.max(1, now - s.startedAt);
      const inOctets = up * 40_000; // ~320 kbit/s up, ~2.5 Mbit/s down: counters that grow between updates
      const outOctets = up * 310_000;
      const attrs: Attribute[] = [
        int(Attr.AcctStatusType, AcctStatus.InterimUpdate),
        str(Attr.UserName, s.username),
        str(Attr.AcctSessionId, s.sessionId),
        ip(Attr.NasIpAddress, e.address),
        str(Attr.NasIdentifier, e.identifier),
        str(Attr.NasPortId, s.nasPortId),
        int(Attr.NasPortType, ETHERNET),
        int(Attr.ServiceType, FRAMED),
        int(Attr.FramedProtocol, PPP),
        ip(Attr.FramedIpAddress, s.framedIp),
        int(Attr.AcctAuthentic, 1),
        int(Attr.AcctDelayTime, 0),
        int(Attr.EventTimestamp, now),
        int(Attr.AcctSessionTime, up),
        int(Attr.AcctInputOctets, inOctets % 2 ** 32),
        int(Attr.AcctOutputOctets, outOctets % 2 ** 32),
        int(Attr.AcctInputGigawords, Math.floor(inOctets / 2 ** 32)),
        int(Attr.AcctOutputGigawords, Math.floor(outOctets / 2 ** 32)),
      ];
      const { packet, authenticator } = accountingRequest({ id, secret: e.secret, attrs });
      return { packet, authenticator, kind: 'interim' };
    },
  };
}
