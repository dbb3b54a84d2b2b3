// Interoperability with FreeRADIUS's radclient (Debian freeradius-utils): it must accept our replies and we
// must verify its requests. A tiny UDP responder on loopback answers with encodeReply.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest } from './authenticate';
import { decodeRequest } from './decode-request';
import { encodeReply, type ReplyCodeName } from './encode-reply';
import type { RadiusRequest } from './message';
import {
  buildMsChap2Response,
  generateAuthenticatorResponse,
  generateNtResponse,
  getAsymmetricStartKey,
  getMasterKey,
  hashNtPasswordHash,
  ntPasswordHash,
} from './mschapv2';
import { decryptUserPassword } from './pap';
import { verifyChap } from './chap';

const RADCLIENT = '/usr/bin/radclient';

/** Like scripts/test-all.ts does for Chromium: as root with apt, install freeradius-utils rather than skip. */
function ensureRadclient(): boolean {
  if (fs.existsSync(RADCLIENT)) return true;
  if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log("[test] installing Debian's freeradius-utils (radclient) for the RADIUS interop tests");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'freeradius-utils'], { stdio: 'inherit', env });
  }
  if (fs.existsSync(RADCLIENT)) return true;
  console.warn(`[test] SKIPPED the radclient interop tests: no ${RADCLIENT}; install it with apt-get install freeradius-utils (as root)`);
  return false;
}

const SECRET = 'interop-s3cret';
const PASSWORD = 'Pa55-wörd';

interface Exchange {
  request: Buffer;
  reply: Buffer | null;
}

/** Answers every datagram with `answer(datagram)` and keeps what it saw. */
class Responder {
  readonly socket = dgram.createSocket('udp4');
  readonly seen: Exchange[] = [];
  answer: (datagram: Buffer) => Buffer | null = () => null;

  async start(): Promise<number> {
    this.socket.on('message', (datagram, peer) => {
      const reply = this.answer(datagram);
      this.seen.push({ request: datagram, reply });
      if (reply) this.socket.send(reply, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }
}

function radclient(port: number, command: string, request: string, secret = SECRET): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(RADCLIENT, ['-x', '-r', '1', '-t', '2', `127.0.0.1:${port}`, command, secret], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
    child.stdin.end(request);
  });
}

/** A verified request from the responder's point of view, or the reason it was refused. */
function verify(datagram: Buffer, secret = SECRET) {
  return decodeRequest(datagram, secret, { requireMessageAuthenticator: true });
}

/** The server's side: authenticate with PASSWORD and answer with our encoder. */
function serve(datagram: Buffer, signWith = SECRET): Buffer | null {
  const result = verify(datagram);
  if (!result.ok) return null;
  const request = result.request;
  const answers: Record<number, ReplyCodeName> = { 4: 'Accounting-Response', 40: 'Disconnect-ACK', 43: 'CoA-ACK', 12: 'Access-Accept' };
  if (request.code !== 1) return encodeReply({ request, code: answers[request.code], secret: signWith });
  const auth = authenticateRequest({ request, secret: SECRET, password: PASSWORD });
  return encodeReply({
    request,
    code: auth.ok ? 'Access-Accept' : 'Access-Reject',
    secret: signWith,
    attributes: [
      ...auth.replyAttributes,
      ...(auth.ok
        ? ([
            ['Mikrotik-Rate-Limit', '10M/20M'],
            ['Framed-IP-Address', '100.64.0.9'],
            ['Session-Timeout', 3600],
            ['WISPr-Bandwidth-Max-Down', 20_000_000],
            ['Class', 'plan=gold'],
          ] as const)
        : []),
      ['Reply-Message', auth.ok ? 'Welcome' : 'Authentication failed'],
    ],
  });
}

const VERIFICATION_ERRORS = /verification failed|invalid Response Authenticator|Message-Authenticator|Shared secret is incorrect/i;

describe.skipIf(!ensureRadclient())('radclient (FreeRADIUS 3.2.1) and our packet layer', () => {
  const responder = new Responder();
  let port = 0;
  beforeAll(async () => {
    port = await responder.start();
  });
  afterAll(() => responder.socket.close());
  const lastRequest = (): RadiusRequest => {
    const result = verify(responder.seen.at(-1)!.request);
    if (!result.ok) throw new Error(result.detail);
    return result.request;
  };

  describe('radclient accepts our replies', () => {
    beforeAll(() => {
      responder.answer = (d) => serve(d);
    });

    it('PAP: Access-Accept with Message-Authenticator first and our attributes, no verification error', async () => {
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nUser-Password = "${PASSWORD}"\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).toMatch(/Received Access-Accept Id \d+ from 127\.0\.0\.1/);
      expect(stdout).toMatch(/Received Access-Accept[^\n]*\n\s+Message-Authenticator = 0x[0-9a-f]{32}\n/);
      expect(stdout).toContain('Mikrotik-Rate-Limit = "10M/20M"');
      expect(stdout).toContain('Framed-IP-Address = 100.64.0.9');
      expect(stdout).toContain('WISPr-Bandwidth-Max-Down = 20000000');
      expect(stderr).not.toMatch(VERIFICATION_ERRORS);
      // And the request radclient sent verifies here, its password opens.
      expect(decryptUserPassword(lastRequest(), SECRET)).toBe(PASSWORD);
    });

    it('PAP with a wrong password: a verified Access-Reject', async () => {
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nUser-Password = "nope"\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).toMatch(/Received Access-Reject Id/);
      expect(stdout).toContain('Reply-Message = "Authentication failed"');
      expect(stderr).not.toMatch(VERIFICATION_ERRORS);
    });

    it('CHAP computed by radclient from the cleartext', async () => {
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nCHAP-Password = "${PASSWORD}"\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).toMatch(/Received Access-Accept Id/);
      expect(stderr).not.toMatch(VERIFICATION_ERRORS);
      const request = lastRequest();
      expect(verifyChap(PASSWORD, request.chapPassword!, request.chapChallenge ?? request.authenticator)).toBe(true);
    });

    it('MS-CHAPv2: radclient opens our MPPE keys to the RFC 3079 values and gets our authenticator response', async () => {
      const authenticatorChallenge = randomBytes(16);
      const peerChallenge = randomBytes(16);
      const ntResponse = generateNtResponse({ authenticatorChallenge, peerChallenge, userName: 'alice', password: PASSWORD });
      const response = buildMsChap2Response({ ident: 0x21, flags: 0, peerChallenge, ntResponse });
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nMS-CHAP-Challenge = 0x${authenticatorChallenge.toString('hex')}\n` +
          `MS-CHAP2-Response = 0x${response.toString('hex')}\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).toMatch(/Received Access-Accept Id/);
      expect(stderr).not.toMatch(VERIFICATION_ERRORS);

      const expectedSuccess = generateAuthenticatorResponse({
        passwordHash: ntPasswordHash(PASSWORD),
        ntResponse,
        peerChallenge,
        authenticatorChallenge,
        userName: 'alice',
      });
      expect(stdout).toContain(`MS-CHAP2-Success = 0x21${Buffer.from(expectedSuccess).toString('hex')}`);
      const master = getMasterKey(hashNtPasswordHash(ntPasswordHash(PASSWORD)), ntResponse);
      expect(stdout).toContain(`MS-MPPE-Send-Key = 0x${getAsymmetricStartKey(master, 16, true, true).toString('hex')}`);
      expect(stdout).toContain(`MS-MPPE-Recv-Key = 0x${getAsymmetricStartKey(master, 16, false, true).toString('hex')}`);
      expect(stdout).toContain('MS-MPPE-Encryption-Policy = Encryption-Allowed');
    });

    it('MS-CHAPv2 with a wrong password: Access-Reject carrying MS-CHAP-Error', async () => {
      const authenticatorChallenge = randomBytes(16);
      const peerChallenge = randomBytes(16);
      const ntResponse = generateNtResponse({ authenticatorChallenge, peerChallenge, userName: 'alice', password: 'wrong' });
      const response = buildMsChap2Response({ ident: 0x22, flags: 0, peerChallenge, ntResponse });
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nMS-CHAP-Challenge = 0x${authenticatorChallenge.toString('hex')}\n` +
          `MS-CHAP2-Response = 0x${response.toString('hex')}\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).toMatch(/Received Access-Reject Id/);
      expect(stdout).toMatch(/MS-CHAP-Error = "(\\")?.*E=691 R=0 C=[0-9A-F]{32} V=3 M=Authentication failure"/);
      expect(stderr).not.toMatch(VERIFICATION_ERRORS);
    });

    it('Accounting-Response, Status-Server, CoA-ACK and Disconnect-ACK verify', async () => {
      const acct = await radclient(
        port,
        'acct',
        `User-Name = "alice"\nAcct-Status-Type = Start\nAcct-Session-Id = "81a00001"\nFramed-IP-Address = 100.64.0.9\nMikrotik-Realm = "example.net"\n`,
      );
      expect(acct.stdout).toMatch(/Received Accounting-Response Id/);
      expect(lastRequest()).toMatchObject({
        acctStatusType: 1,
        acctSessionId: '81a00001',
        framedIpAddress: '100.64.0.9',
        mikrotikRealm: 'example.net',
      });
      const status = await radclient(port, 'status', 'Message-Authenticator = 0x00\n');
      expect(status.stdout).toMatch(/Received Access-Accept Id/);
      const coa = await radclient(port, 'coa', `User-Name = "alice"\nMikrotik-Rate-Limit = "1M/2M"\nMessage-Authenticator = 0x00\n`);
      expect(coa.stdout).toMatch(/Received CoA-ACK Id/);
      expect(lastRequest().hasMessageAuthenticator).toBe(true);
      const disconnect = await radclient(port, 'disconnect', `User-Name = "alice"\nAcct-Session-Id = "81a00001"\n`);
      expect(disconnect.stdout).toMatch(/Received Disconnect-ACK Id/);
      for (const run of [acct, status, coa, disconnect]) expect(run.stderr).not.toMatch(VERIFICATION_ERRORS);
    });
  });

  describe('radclient refuses replies that are not ours to send (so the checks above can fail)', () => {
    it('an Access-Accept signed with another secret', async () => {
      responder.answer = (d) => serve(d, 'another-secret');
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nUser-Password = "${PASSWORD}"\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).not.toMatch(/Received Access-Accept/);
      expect(stderr).toMatch(VERIFICATION_ERRORS);
    });

    it('an Access-Accept whose Message-Authenticator was altered', async () => {
      responder.answer = (d) => {
        const reply = serve(d);
        if (reply) reply[22] ^= 0x01;
        return reply;
      };
      const { stdout, stderr } = await radclient(
        port,
        'auth',
        `User-Name = "alice"\nUser-Password = "${PASSWORD}"\nMessage-Authenticator = 0x00\n`,
      );
      expect(stdout).not.toMatch(/Received Access-Accept/);
      expect(stderr).toMatch(/invalid Message-Authenticator/);
    });
  });

  describe("radclient's requests verify here, and only with the right secret", () => {
    beforeAll(() => {
      responder.answer = (d) => serve(d);
    });

    it.each([
      [
        'auth',
        `User-Name = "bob"\nUser-Password = "x"\nMessage-Authenticator = 0x00\nProxy-State = 0x0102\nProxy-State = 0x03\n`,
        'bad-message-authenticator',
      ],
      [
        'acct',
        `User-Name = "bob"\nAcct-Status-Type = Stop\nAcct-Input-Octets = 4000000000\nAcct-Input-Gigawords = 2\n`,
        'bad-authenticator',
      ],
      ['status', 'Message-Authenticator = 0x00\n', 'bad-message-authenticator'],
      ['coa', `User-Name = "bob"\nMessage-Authenticator = 0x00\n`, 'bad-authenticator'],
      ['disconnect', `User-Name = "bob"\n`, 'bad-authenticator'],
    ])('%s', async (command, request, wrongSecretReason) => {
      const before = responder.seen.length;
      await radclient(port, command, request);
      const datagram = responder.seen[before].request;
      const result = verify(datagram);
      expect(result.ok).toBe(true);
      expect(verify(datagram, `${SECRET}x`)).toMatchObject({ ok: false, reason: wrongSecretReason });
      if (command === 'auth' && result.ok) {
        expect(result.request.proxyStates).toEqual([Buffer.from([1, 2]), Buffer.from([3])]);
        const reply = encodeReply({ request: result.request, code: 'Access-Reject', secret: SECRET });
        expect(reply.subarray(-7)).toEqual(Buffer.from([33, 4, 1, 2, 33, 3, 3]));
      }
      if (command === 'acct' && result.ok) expect(result.request.acctInputBytes).toBe(2 * 2 ** 32 + 4_000_000_000);
    });
  });
});
