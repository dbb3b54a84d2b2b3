// One request datagram, at most one reply, a hard deadline, and the socket always closed.
// The socket is connected so that an ICMP port-unreachable comes back as ECONNREFUSED instead of silence.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { resolveRouterAddress, RouterAddressRefusedError } from '../network-policy';

export type DatagramOutcome =
  | { kind: 'reply'; reply: Buffer; rttMs: number }
  | { kind: 'refused'; rttMs: number }
  | { kind: 'timeout' }
  | { kind: 'failed'; error: NodeJS.ErrnoException };

export function exchangeDatagram(args: {
  host: string;
  port: number;
  payload: Buffer;
  timeoutMs: number;
  /** Datagrams for which this returns false are ignored and the wait goes on. */
  isReply?: (datagram: Buffer) => boolean;
}): Promise<DatagramOutcome> {
  const { host, port, payload, timeoutMs, isReply = () => true } = args;

  return new Promise((resolve) => {
    let socket: dgram.Socket | null = null;
    let sentAt: number | null = null;
    let settled = false;
    const rtt = () => (sentAt === null ? 0 : Math.round(performance.now() - sentAt));

    const finish = (outcome: DatagramOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket?.close();
      } catch {
        // already closed by a failed connect
      }
      resolve(outcome);
    };
    const fail = (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ECONNREFUSED' ? { kind: 'refused', rttMs: rtt() } : { kind: 'failed', error });

    // The deadline covers DNS resolution and connect too.
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);

    // ROUTER_NETWORKS decides first; the socket then goes to the literal address that was checked.
    const send = (address: string) => {
      if (settled) return;
      const s = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
      socket = s;
      // Stays attached after finish, so a late error on a closing socket is never unhandled.
      s.on('error', fail);
      s.on('message', (datagram) => {
        if (isReply(datagram)) finish({ kind: 'reply', reply: datagram, rttMs: rtt() });
      });
      try {
        s.connect(port, address, () => {
          if (settled) return;
          sentAt = performance.now();
          s.send(payload, (error) => {
            if (error) fail(error);
          });
        });
      } catch (error) {
        // Bad port or address arguments throw synchronously.
        fail(error as NodeJS.ErrnoException);
      }
    };
    resolveRouterAddress(host).then(send).catch(fail);
  });
}

/** What a network engineer can act on, for errors other than ECONNREFUSED. */
export function describeSocketError(error: NodeJS.ErrnoException, host: string): string {
  if (error instanceof RouterAddressRefusedError) return error.message;
  switch (error.code) {
    case 'EHOSTUNREACH':
      return `host unreachable: no route to ${host} (ICMP host unreachable or no ARP reply)`;
    case 'ENETUNREACH':
      return `network unreachable: no route towards ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${host}`;
    case 'EACCES':
    case 'EPERM':
      return `the local firewall refused to send to ${host}`;
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}

/** 2000 → "2 s", 1500 → "1.5 s", 300 → "300 ms" */
export function formatTimeout(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}
