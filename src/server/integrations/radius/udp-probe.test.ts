import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { probeUdpPort } from './udp-probe';

const HOST = '127.0.60.1';
const sockets: dgram.Socket[] = [];

afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function bindUdp(onMessage?: (socket: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo) => void) {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  socket.on('message', (msg, rinfo) => onMessage?.(socket, msg, rinfo));
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return { socket, port: socket.address().port, received: [] as Buffer[] };
}

/** A port that was free a moment ago; nothing listens on it. */
async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('connected UDP sockets on Linux', () => {
  it('surface an ICMP port-unreachable as ECONNREFUSED', async () => {
    const port = await freePort();
    const socket = dgram.createSocket('udp4');
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      socket.on('error', resolve);
      socket.connect(port, HOST, () => socket.send(Buffer.alloc(0)));
    });
    socket.close();
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('probeUdpPort', () => {
  it("reports 'closed' well before the deadline when nothing listens", async () => {
    const port = await freePort();
    const started = performance.now();
    const result = await probeUdpPort({ host: HOST, port, timeoutMs: 2000 });
    expect(result.state).toBe('closed');
    expect(result.detail).toBe(`ICMP port unreachable: nothing listens on udp/${port}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("reports 'silent' after about the deadline when a socket reads and never answers", async () => {
    const silent = await bindUdp((_s, msg) => silent.received.push(msg));
    const started = performance.now();
    const result = await probeUdpPort({ host: HOST, port: silent.port, timeoutMs: 300 });
    const elapsed = performance.now() - started;

    expect(result).toEqual({
      state: 'silent',
      detail:
        'no reply within 300 ms: port open or filtered; a RADIUS client never answers an unsigned probe, so silence is not proof of anything',
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
    expect(silent.received).toEqual([Buffer.alloc(0)]); // no secret: a zero-length datagram
  });

  it("reports 'answered' with the round trip when anything replies", async () => {
    const echo = await bindUdp((socket, msg, rinfo) => socket.send(Buffer.from('pong'), rinfo.port, rinfo.address));
    const result = await probeUdpPort({ host: HOST, port: echo.port, timeoutMs: 2000 });
    expect(result.state).toBe('answered');
    expect(result.detail).toMatch(new RegExp(`^udp/${echo.port} answered in \\d+ ms \\(4-byte reply\\)$`));
    expect(result.rttMs).toBeLessThan(500);
  });

  it('sends a signed Status-Server when given a secret, and never echoes the secret', async () => {
    const silent = await bindUdp((_s, msg) => silent.received.push(msg));
    const result = await probeUdpPort({ host: HOST, port: silent.port, timeoutMs: 200, secret: 'hunter2-secret' });

    expect(result.state).toBe('silent');
    expect(result.detail).toContain('a NAS never answers Status-Server');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const [sent] = silent.received;
    expect(sent[0]).toBe(12); // Status-Server
    expect(sent.subarray(20, 22)).toEqual(Buffer.from([80, 18])); // Message-Authenticator first
    const zeroed = Buffer.from(sent);
    zeroed.fill(0, 22, 38);
    expect(createHmac('md5', 'hunter2-secret').update(zeroed).digest()).toEqual(sent.subarray(22, 38));
  });

  it("returns 'error' instead of throwing on arguments the socket refuses", async () => {
    const result = await probeUdpPort({ host: HOST, port: 70_000, timeoutMs: 200 });
    expect(result.state).toBe('error');
    expect(result.detail).toMatch(/port/i);
  });
});
