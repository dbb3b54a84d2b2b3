import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewReplies } from '@/components/plans/plan-preview';
import type { ReplyAttribute } from '@/lib/radius-reply';
import type { PlanFormValues } from '@/lib/schemas/plans';
import { decodeReply, encodeAccessRequest } from '@/server/integrations/radius';
import { startRadiusService, type RadiusService } from '@/server/radius-service/main';
import { exchange, makeSubscriber } from '@/server/radius-service/test-support';
import type { Actor } from '@/server/auth/actor';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';

/**
 * The plan dialog's preview against the real thing: a RADIUS service on loopback answers a subscriber on the
 * plan, from a MikroTik NAS and from a generic one, and the Access-Accept must carry exactly the previewed
 * attributes, in order. Then a plan edit reaches the next login without a restart.
 */
const SECRET = 'plan-preview-secret';
const MIKROTIK_IP = '127.0.96.1';
const GENERIC_IP = '127.0.96.2';
let service: RadiusService;
let admin: Actor;
let mikrotikNasId: number;
let planId: number;

const values: PlanFormValues = {
  name: 'Preview 50',
  downloadRate: '50',
  downloadUnit: 'M',
  uploadRate: '10',
  uploadUnit: 'M',
  burstDownloadRate: '80',
  burstDownloadUnit: 'M',
  burstUploadRate: '15000',
  burstUploadUnit: 'k',
  burstThresholdDownloadRate: '40',
  burstThresholdDownloadUnit: 'M',
  burstThresholdUploadRate: '8',
  burstThresholdUploadUnit: 'M',
  burstTimeS: '16',
  filterId: 'RES-50M',
  framedPool: 'ppp-main',
  sessionTimeoutS: '86400',
  interimIntervalS: '300',
};

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  mikrotikNasId = (await makeNas(admin, { ipAddress: MIKROTIK_IP, secret: SECRET, subscriberPools: 'ppp-main' })).id;
  await makeNas(admin, { ipAddress: GENERIC_IP, secret: SECRET, type: 'generic' });
  planId = (await callerFor(admin).plans.create({ ...values, defaultNasId: mikrotikNasId })).id;
  // No NAS of its own: the subscriber may log in through either.
  await makeSubscriber({ username: 'preview-user', password: 'preview-pass', planId });
  service = await startRadiusService({ addresses: ['127.0.0.1'], authPort: 0, acctPort: 0, log: () => {} });
});
afterAll(async () => {
  await service?.stop();
});

/** The Access-Accept's attributes as [name, value], Message-Authenticator (the signature, not the plan) left out. */
async function acceptFrom(source: string): Promise<ReplyAttribute[]> {
  const request = encodeAccessRequest({
    secret: SECRET,
    userName: 'preview-user',
    credentials: { method: 'pap', password: 'preview-pass' },
  });
  const reply = await exchange(request.packet, { port: service.ports.auth }, source);
  expect(reply, `no reply to ${source}`).not.toBeNull();
  const decoded = decodeReply({ reply: reply!, request: request.packet, secret: SECRET });
  if (!decoded.ok) throw new Error(`undecodable reply: ${decoded.detail}`);
  expect(decoded.reply.codeName).toBe('Access-Accept');
  return decoded.reply.attributes
    .filter((a) => a.name !== 'Message-Authenticator')
    .map((a) => [a.name, decoded.reply.get(a.name) as string | number]);
}

describe('the preview is what RADIUS sends', () => {
  it('for a MikroTik: Mikrotik-Rate-Limit with burst, Framed-Pool, Session-Timeout, Acct-Interim-Interval', async () => {
    const preview = previewReplies(values);
    if (!preview.ok) throw new Error('the form values must parse');
    expect(preview.mikrotik).toEqual([
      ['Mikrotik-Rate-Limit', '10000k/50000k 15000k/80000k 8000k/40000k 16/16'],
      ['Framed-Pool', 'ppp-main'],
      ['Session-Timeout', 86400],
      ['Acct-Interim-Interval', 300],
    ]);
    expect(await acceptFrom(MIKROTIK_IP)).toEqual(preview.mikrotik);
  });

  it('for a generic BNG: Filter-Id and WISPr rates in bit/s', async () => {
    const preview = previewReplies(values);
    if (!preview.ok) throw new Error('the form values must parse');
    expect(preview.generic.slice(0, 3)).toEqual([
      ['Filter-Id', 'RES-50M'],
      ['WISPr-Bandwidth-Max-Up', 10_000_000],
      ['WISPr-Bandwidth-Max-Down', 50_000_000],
    ]);
    expect(await acceptFrom(GENERIC_IP)).toEqual(preview.generic);
  });
});

describe('a plan change applies to new sessions at once', () => {
  it('the next Access-Accept after an update carries the new rate, and still matches the preview', async () => {
    const changed: PlanFormValues = { ...values, downloadRate: '100', burstDownloadRate: '150', filterId: 'RES-100M' };
    await callerFor(admin).plans.update({ ...changed, id: planId, defaultNasId: mikrotikNasId });
    const preview = previewReplies(changed);
    if (!preview.ok) throw new Error('the form values must parse');
    // The RADIUS service hears of the commit through LISTEN: give it up to two seconds.
    const deadline = Date.now() + 2000;
    let got = await acceptFrom(MIKROTIK_IP);
    while (JSON.stringify(got) !== JSON.stringify(preview.mikrotik) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      got = await acceptFrom(MIKROTIK_IP);
    }
    expect(got[0]).toEqual(['Mikrotik-Rate-Limit', '10000k/100000k 15000k/150000k 8000k/40000k 16/16']);
    expect(got).toEqual(preview.mikrotik);
    expect(await acceptFrom(GENERIC_IP)).toEqual(preview.generic);
  });
});
