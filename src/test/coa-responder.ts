import { createHash } from 'node:crypto';
import dgram from 'node:dgram';

export type CoaResponderMode = 'ack' | 'nak-503' | 'silent' | 'wrong-secret';

export interface CoaResponder {
  port: number;
  /** Every datagram received, in order. */
  received: Buffer[];
  /** The User-Name of each request received, in order. */
  userNames(): string[];
  close(): Promise<void>;
}

/**
 * A NAS's CoA port written here from RFC 5176 with node:dgram and node:crypto alone, independent of our RADIUS
 * code: it records every datagram and answers as `mode` says (ACK; NAK with Error-Cause 503 "Session Context Not
 * Found"; nothing; or an ACK signed with another secret, which must fail verification).
 */
export async function startCoaResponder(host: string, secret: string, mode: CoaResponderMode): Promise<CoaResponder> {
  const received: Buffer[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    if (mode === 'silent') return;
    const isDisconnect = msg[0] === 40;
    const code = mode === 'nak-503' ? (isDisconnect ? 42 : 45) : isDisconnect ? 41 : 44;
    const attributes = mode === 'nak-503' ? Buffer.from([101, 6, 0, 0, 0x01, 0xf7]) : Buffer.alloc(0);
    const header = Buffer.from([code, msg[1], 0, 0]);
    header.writeUInt16BE(20 + attributes.length, 2);
    const signWith = mode === 'wrong-secret' ? 'not-the-nas-secret' : secret;
    const authenticator = createHash('md5').update(header).update(msg.subarray(4, 20)).update(attributes).update(signWith).digest();
    socket.send(Buffer.concat([header, authenticator, attributes]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    port: socket.address().port,
    received,
    userNames: () => received.map((packet) => attributesOf(packet).get(1)?.toString('utf8') ?? ''),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Attribute values of a request, by type (first occurrence). */
export function attributesOf(packet: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let o = 20; o + 2 <= packet.length && packet[o + 1] >= 2; o += packet[o + 1]) {
    if (!out.has(packet[o])) out.set(packet[o], packet.subarray(o + 2, o + packet[o + 1]));
  }
  return out;
}
