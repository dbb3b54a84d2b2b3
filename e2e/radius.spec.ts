import dgram from 'node:dgram';
import { decodeReply, encodeAccessRequest } from '../src/server/integrations/radius';
import { expect, test } from './fixtures';

/**
 * The panel's RADIUS service (started by `npm start` next to the panel, on E2E_RADIUS_AUTH_PORT) and the NAS
 * page together: a router nobody added shows up as an unknown device, "Add as NAS" adds it with what it said of
 * itself, and from then on it is answered, with no restart, and Test Connection says so.
 */
const AUTH_PORT = Number(process.env.RADIUS_AUTH_PORT ?? 18127);

function send(datagram: Buffer, source: string, timeoutMs = 1500): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (reply: Buffer | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    socket.on('message', done);
    socket.on('error', reject);
    socket.bind(0, source, () => socket.send(datagram, AUTH_PORT, '127.0.0.1'));
  });
}

test('a router sending RADIUS before anyone added it: listed, added in one click, answered at once', async ({ adminPage: page, world }) => {
  const source = `127.0.97.${Math.floor(Math.random() * 250) + 1}`;
  const identifier = world.unique('branch-router');
  const secret = 'branch-secret-e2e';
  const request = (id: number) =>
    encodeAccessRequest({
      secret,
      identifier: id,
      userName: 'nobody-e2e',
      credentials: { method: 'pap', password: 'whatever' },
      attributes: [
        ['NAS-Identifier', identifier],
        ['NAS-IP-Address', '198.51.100.77'],
      ],
    });

  // Unknown: dropped without a reply (as FreeRADIUS does), and kept as a note for the NAS page.
  expect(await send(request(1).packet, source)).toBeNull();
  const unknown = page.getByTestId(`unknown-device-${source}`);
  await expect(async () => {
    await page.goto('/nas');
    await expect(unknown).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(unknown).toContainText(identifier);
  await expect(unknown).toContainText('198.51.100.77');

  // Add as NAS: the form opens with the source address and the name the router gave itself.
  await unknown.getByTestId('unknown-device-add').click();
  const dialog = page.getByTestId('nas-form-dialog');
  await expect(dialog.getByLabel('IP Address')).toHaveValue(source);
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue(identifier);
  await dialog.getByLabel('Type').selectOption('generic');
  await dialog.getByLabel('Secret', { exact: true }).fill(secret);
  await dialog.getByLabel('Require Message-Authenticator').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(unknown).toHaveCount(0);

  // Answered within a second of the save, with a reply signed by the secret typed in the form.
  const saved = Date.now();
  let reply: Buffer | null = null;
  let ask: ReturnType<typeof request> | null = null;
  for (let id = 2; !reply && Date.now() - saved < 5000; id++) {
    ask = request(id);
    reply = await send(ask.packet, source, 250);
  }
  expect(reply, 'the RADIUS service never answered the new NAS').not.toBeNull();
  expect(Date.now() - saved).toBeLessThan(1500);
  const decoded = decodeReply({ reply: reply!, request: ask!.packet, secret });
  expect(decoded.ok && decoded.reply.codeName).toBe('Access-Reject'); // no such subscriber: verified, and refused

  // Test Connection on a generic BNG has no API to read: what the RADIUS service saw is the check.
  await page.getByTestId('nas-search').fill(identifier);
  const row = page.locator(`tr[data-nas-name="${identifier}"]`);
  await expect(async () => {
    await row.getByRole('button', { name: `Test connection to ${identifier}` }).click();
    const test = page.getByTestId('test-connection-dialog');
    try {
      await expect(test.getByTestId('check-radius')).toHaveAttribute('data-status', 'ok', { timeout: 5000 });
      await expect(test.getByTestId('check-radius-summary')).toHaveText(/^RADIUS service: last verified request \d+ s ago$/);
    } finally {
      await test.getByRole('button', { name: 'Close' }).click();
    }
  }).toPass({ timeout: 15_000 });
});

test('unknown devices are shown only to those who see every NAS', async ({ page, world }) => {
  const source = `127.0.98.${Math.floor(Math.random() * 250) + 1}`;
  const request = encodeAccessRequest({
    secret: 'x',
    identifier: 1,
    userName: 'u',
    credentials: { method: 'pap', password: 'p' },
  });
  expect(await send(request.packet, source)).toBeNull();
  await expect
    .poll(async () => (await world.sql`select 1 from radius_unknown_clients where source_ip = ${source}::inet`).length, {
      timeout: 10_000,
    })
    .toBe(1);
  const reseller = await world.createReseller();
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  await world.signIn(page, user);
  await page.goto('/nas');
  await expect(page.getByTestId('nas-table')).toBeVisible();
  await expect(page.getByTestId('unknown-devices')).toHaveCount(0);
  await expect(page.getByText(source)).toHaveCount(0);
});
