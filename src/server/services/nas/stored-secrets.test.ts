import dgram from 'node:dgram';
import net from 'node:net';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { requestAuthenticatorMatches } from '@/server/integrations/radius';
import { drainPoolImports } from '@/server/jobs/pool-import';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';

/**
 * A stored secret never follows a changed address. A "capture peer" on another loopback address stands for
 * a host of the attacker's: it records every byte sent to its API port and every datagram sent to its CoA
 * port. Whoever holds nas.edit may point a NAS there, but the stored API password and RADIUS secret must
 * never arrive.
 */
const SECRET = 'stored-radius-secret-Q7';
const API_PASSWORD = 'stored-api-password-W3';
const PEER = '127.0.91.1';

let api: net.Server;
let coa: dgram.Socket;
let apiPort = 0;
let coaPort = 0;
let tcpBytes: Buffer[] = [];
let datagrams: Buffer[] = [];

beforeAll(async () => {
  api = net.createServer((s) => {
    s.on('data', (d) => tcpBytes.push(d));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => api.listen(0, PEER, r));
  apiPort = (api.address() as net.AddressInfo).port;
  coa = dgram.createSocket('udp4');
  coa.on('message', (m) => datagrams.push(m));
  await new Promise<void>((r) => coa.bind(0, PEER, r));
  coaPort = coa.address().port;
});
afterAll(async () => {
  api.close();
  coa.close();
});
beforeEach(() => {
  tcpBytes = [];
  datagrams = [];
});

function captured() {
  const tcp = Buffer.concat(tcpBytes).toString('latin1');
  return {
    sawPassword: tcp.includes(API_PASSWORD),
    sawAnyLogin: tcp.includes('/login'),
    signedWithStored: datagrams.filter((d) => requestAuthenticatorMatches(d, SECRET)).length,
    datagrams: datagrams.length,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 300));

async function fieldErrorOf(p: Promise<unknown>): Promise<{ code: string; field: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const cause = (e as TRPCError).cause as { field?: string };
  return { code: (e as TRPCError).code, field: cause.field ?? '', message: (e as TRPCError).message };
}

// Every role that holds nas.edit: the admin, and a reseller on its own NAS.
const roles: [string, () => Promise<{ actor: Actor; nasId: number }>][] = [
  [
    'admin',
    async () => {
      const actor = await makeUser({ role: 'admin' });
      return { actor, nasId: (await storedNas(actor)).id };
    },
  ],
  [
    'reseller',
    async () => {
      const resellerId = await makeReseller();
      const actor = await makeUser({ role: 'reseller', resellerId });
      const nas = await storedNas(await makeUser({ role: 'admin' }));
      await assign(resellerId, nas.id);
      return { actor, nasId: nas.id };
    },
  ],
];

let hostSeq = 50;
function storedNas(owner: Actor) {
  // The real router would be elsewhere (nothing listens there): only the capture peer can hear anything.
  return makeNas(owner, {
    ipAddress: `127.0.91.${hostSeq++}`,
    coaPort: 1700,
    secret: SECRET,
    apiUsername: 'panel',
    apiPassword: API_PASSWORD,
    apiPort: 9,
  });
}

describe.each(roles)('as %s (holds nas.edit)', (_role, setup) => {
  it('testConnection toward another host asks for the API password and the secret, and sends neither', async () => {
    const { actor, nasId } = await setup();
    const c = callerFor(actor);
    const towardPeer = { ipAddress: PEER, apiHost: PEER, apiPort, coaPort, apiUsername: 'panel', apiPassword: '', secret: '' };

    const noSecret = await fieldErrorOf(c.nas.testConnection({ id: nasId, values: towardPeer }));
    expect(noSecret).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'secret',
      message: 'Retype the secret: the IP address or CoA port changed',
    });
    // With a secret typed, the API password is still the stored one's to refuse.
    const noPassword = await fieldErrorOf(c.nas.testConnection({ id: nasId, values: { ...towardPeer, secret: 'typed-secret' } }));
    expect(noPassword).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'apiPassword',
      message: 'Retype the API password: the API address changed',
    });
    // Only the API host moved: the RADIUS secret may stay, the password may not.
    const cur = await c.nas.get({ id: nasId });
    const apiMoved = await fieldErrorOf(
      c.nas.testConnection({ id: nasId, values: { ...cur, apiHost: PEER, apiPort, secret: '', apiPassword: '' } }),
    );
    expect(apiMoved.field).toBe('apiPassword');
    await settle();
    expect(captured()).toEqual({ sawPassword: false, sawAnyLogin: false, signedWithStored: 0, datagrams: 0 });
  });

  it('update toward another host asks for both, and the pool import that would follow never sends them', async () => {
    const { actor, nasId } = await setup();
    const c = callerFor(actor);
    const cur = await c.nas.get({ id: nasId });
    const moved = await fieldErrorOf(c.nas.update({ ...cur, apiHost: PEER, apiPort, secret: '', apiPassword: '' }));
    expect(moved).toMatchObject({ field: 'apiPassword', message: 'Retype the API password: the API address changed' });
    const userChanged = await fieldErrorOf(c.nas.update({ ...cur, apiUsername: 'admin', secret: '', apiPassword: '' }));
    expect(userChanged.field).toBe('apiPassword');
    const tlsChanged = await fieldErrorOf(c.nas.update({ ...cur, useSsl: true, secret: '', apiPassword: '' }));
    expect(tlsChanged.field).toBe('apiPassword');
    const ipMoved = await fieldErrorOf(c.nas.update({ ...cur, ipAddress: PEER, secret: '', apiPassword: '', clearApiPassword: true }));
    expect(ipMoved).toMatchObject({ field: 'secret', message: 'Retype the secret: the IP address or CoA port changed' });
    const coaMoved = await fieldErrorOf(c.nas.update({ ...cur, coaPort, secret: '', apiPassword: '' }));
    expect(coaMoved.field).toBe('secret');
    // Nothing was saved, so nothing was queued toward the peer either.
    expect(await c.nas.get({ id: nasId })).toMatchObject({ apiHost: cur.apiHost, ipAddress: cur.ipAddress, coaPort: cur.coaPort });
    await drainPoolImports({ log: () => {} });
    await settle();
    expect(captured()).toEqual({ sawPassword: false, sawAnyLogin: false, signedWithStored: 0, datagrams: 0 });
  });
});

describe('the capture peer does hear what it is meant to hear (so the checks above can fail)', () => {
  it('receives a typed password and a CoA probe signed with a typed secret', async () => {
    const admin = await makeUser({ role: 'admin' });
    const nas = await storedNas(admin);
    const typed = uid('typed');
    await callerFor(admin).nas.testConnection({
      id: nas.id,
      values: { ipAddress: PEER, apiHost: PEER, apiPort, coaPort, apiUsername: 'panel', apiPassword: API_PASSWORD, secret: SECRET + typed },
    });
    await settle();
    expect(captured().sawPassword).toBe(true);
    expect(datagrams.some((d) => requestAuthenticatorMatches(d, SECRET + typed))).toBe(true);
  });

  it('keeps using the stored secrets where the values still point at the saved endpoints', async () => {
    const admin = await makeUser({ role: 'admin' });
    const nas = await makeNas(admin, {
      ipAddress: PEER,
      coaPort,
      secret: SECRET,
      apiUsername: 'panel',
      apiPassword: API_PASSWORD,
      apiPort,
    });
    const cur = await callerFor(admin).nas.get({ id: nas.id });
    await callerFor(admin).nas.testConnection({ id: nas.id, values: { ...cur, secret: '', apiPassword: '' } });
    await settle();
    const c = captured();
    expect(c.sawPassword).toBe(true);
    expect(c.signedWithStored).toBeGreaterThan(0);
  });
});
