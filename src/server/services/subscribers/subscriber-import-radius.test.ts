import { afterAll, beforeAll, expect, it } from 'vitest';
import { drainSubscriberImports } from '@/server/jobs/subscriber-import';
import { startRadiusService, type RadiusService } from '@/server/radius-service/main';
import { makePlan, radclient } from '@/server/radius-service/test-support';
import { callerFor, makeNas, makeUser } from '@/test/fixtures';
import { uploadSubscriberImport } from './subscriber-import-upload';

/** An imported subscriber logs in: its password was re-sealed to its own row, which the RADIUS service opens. */
const SECRET = 'import-radius-secret';
let service: RadiusService;

beforeAll(async () => {
  service = await startRadiusService({ addresses: ['127.0.0.1'], authPort: 0, acctPort: 0, log: () => {} });
});
afterAll(async () => {
  await service?.stop();
});

it('authenticates a subscriber imported from CSV with the password of the file (PAP via radclient)', async () => {
  const admin = await makeUser({ role: 'admin' });
  await makeNas(admin, { name: 'radclient', ipAddress: '127.0.0.1', secret: SECRET });
  await makePlan({ name: 'Imported 50M', downloadKbps: 50_000, uploadKbps: 10_000 });
  const csv =
    'username,password,plan,nas,static_ip,enabled\nimported-ann,"ann, pass",Imported 50M,127.0.0.1,,yes\nimported-off,off-pass,Imported 50M,radclient,,no\n';
  const { id } = await uploadSubscriberImport(admin, {
    fileName: 'radius.csv',
    resellerId: null,
    body: (async function* () {
      yield new TextEncoder().encode(csv);
    })(),
  });
  await callerFor(admin).subscriberImports.start({ id });
  await drainSubscriberImports({ log: () => {} });
  expect((await callerFor(admin).subscriberImports.get({ id })).state).toBe('done');
  const login = async (user: string, password: string, tries = 10) => {
    // The service reloads subscribers on the import's commit by itself: allow it a moment.
    for (let i = 0; ; i++) {
      const out = await radclient({
        port: service.ports.auth,
        type: 'auth',
        secret: SECRET,
        attributes: `User-Name = "${user}", User-Password = "${password}", Message-Authenticator = 0x00`,
      });
      if (out.includes('Received Access-Accept') || i >= tries) return out;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const ann = await login('imported-ann', 'ann, pass');
  expect(ann).toContain('Received Access-Accept');
  expect(ann).toMatch(/Mikrotik-Rate-Limit = "10000k\/50000k"/);
  expect(await login('imported-ann', 'wrong', 0)).toContain('Received Access-Reject');
  // enabled = no: imported disabled.
  expect(await login('imported-off', 'off-pass', 0)).toContain('Received Access-Reject');
});
