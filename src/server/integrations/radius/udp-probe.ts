import { randomInt } from 'node:crypto';
import { decodeRadiusPacket, encodeStatusServer } from './packet';
import { describeSocketError, exchangeDatagram, formatTimeout } from './udp-exchange';

export type UdpProbeState = 'answered' | 'closed' | 'silent' | 'error';

export interface UdpProbeResult {
  state: UdpProbeState;
  detail: string;
  rttMs?: number;
}

/**
 * Is anything listening on udp/<port>? 'closed' is the only firm answer a silent service gives:
 * the ICMP port-unreachable. 'error' covers what is not about the port (no route, DNS).
 */
export async function probeUdpPort(args: {
  host: string;
  port: number;
  timeoutMs: number;
  /** Sent instead of the default probe. */
  payload?: Buffer;
  /** Without a payload: sign a RADIUS Status-Server with it; without either, send an empty datagram. */
  secret?: string;
}): Promise<UdpProbeResult> {
  const { host, port, timeoutMs } = args;
  const payload = args.payload ?? defaultPayload(args.secret);
  const outcome = await exchangeDatagram({ host, port, payload, timeoutMs });

  switch (outcome.kind) {
    case 'reply':
      return {
        state: 'answered',
        detail: `udp/${port} answered in ${outcome.rttMs} ms (${describeReply(outcome.reply)})`,
        rttMs: outcome.rttMs,
      };
    case 'refused':
      return {
        state: 'closed',
        detail: `ICMP port unreachable: nothing listens on udp/${port}`,
        rttMs: outcome.rttMs,
      };
    case 'timeout':
      return { state: 'silent', detail: silenceDetail(timeoutMs, payload.length > 0 && !args.payload) };
    case 'failed':
      return { state: 'error', detail: describeSocketError(outcome.error, host) };
  }
}

function defaultPayload(secret: string | undefined): Buffer {
  if (!secret) return Buffer.alloc(0);
  return encodeStatusServer({ identifier: randomInt(256), secret });
}

function describeReply(reply: Buffer): string {
  const decoded = decodeRadiusPacket(reply);
  return decoded ? `RADIUS ${decoded.codeName}` : `${reply.length}-byte reply`;
}

function silenceDetail(timeoutMs: number, signedStatusServer: boolean): string {
  const why = signedStatusServer
    ? 'a NAS never answers Status-Server and many RADIUS servers ignore it'
    : 'a RADIUS client never answers an unsigned probe';
  return `no reply within ${formatTimeout(timeoutMs)}: port open or filtered; ${why}, so silence is not proof of anything`;
}
