import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/env';
import { sendDisconnectProbe } from './coa';
import { exchangeDatagram } from './udp-exchange';
import { probeUdpPort } from './udp-probe';

// Hosts 127.0.63.x belong to this file.
const HOST = '127.0.63.1';
const sockets: dgram.Socket[] = [];
const saved = process.env.ROUTER_NETWORKS;

function setNetworks(value: string | undefined) {
  if (value === undefined) delete process.env.ROUTER_NETWORKS;
  else process.env.ROUTER_NETWORKS = value;
  resetEnvCache();
}

afterEach(async () => {
  setNetworks(saved);
  await Promise.all(sockets.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A UDP socket that answers every datagram with a copy and records what it got. */
async function echo(): Promise<{ port: number; received: Buffer[] }> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    socket.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return { port: socket.address().port, received };
}

describe('RADIUS probe and CoA follow ROUTER_NETWORKS', () => {
  it('refuse link-local by default without sending, and say why', async () => {
    setNetworks(undefined);
    const outcome = await exchangeDatagram({ host: '169.254.169.254', port: 3799, payload: Buffer.from('x'), timeoutMs: 2000 });
    expect(outcome.kind).toBe('failed');
    const probe = await probeUdpPort({ host: '169.254.169.254', port: 1812, timeoutMs: 2000 });
    expect(probe).toEqual({
      state: 'error',
      detail: '169.254.169.254 is link-local: the panel does not connect there (set ROUTER_NETWORKS to allow it)',
    });
    const coa = await sendDisconnectProbe({ host: 'fe80::1', port: 3799, secret: 's3cret', timeoutMs: 2000 });
    expect(coa.result).toBe('error');
    expect(coa.detail).toMatch(/^fe80::1 is link-local/);
  });

  it('refuse a host outside the configured networks: the peer receives nothing', async () => {
    const peer = await echo();
    setNetworks('10.0.0.0/8');
    const probe = await probeUdpPort({ host: HOST, port: peer.port, timeoutMs: 300 });
    expect(probe).toEqual({
      state: 'error',
      detail: `${HOST} is outside ROUTER_NETWORKS (10.0.0.0/8): the panel does not connect there`,
    });
    const coa = await sendDisconnectProbe({ host: HOST, port: peer.port, secret: 's3cret', timeoutMs: 300 });
    expect(coa.result).toBe('error');
    expect(peer.received).toEqual([]);
  });

  it('send to allowed hosts, IPv4-mapped addresses as IPv4', async () => {
    const peer = await echo();
    setNetworks('127.0.63.0/24');
    const outcome = await exchangeDatagram({ host: `::ffff:${HOST}`, port: peer.port, payload: Buffer.from('hi'), timeoutMs: 1000 });
    expect(outcome).toMatchObject({ kind: 'reply', reply: Buffer.from('hi') });
    expect(peer.received).toEqual([Buffer.from('hi')]);
  });
});
