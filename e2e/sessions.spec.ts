import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { encryptSecret } from '../src/server/crypto/secret-box';
import { subscriberPasswordBinding } from '../src/server/radius-service/subscribers';
import { expect, test, type World } from './fixtures';

/**
 * The Sessions page end to end: a subscriber's CPE dials in through a simulated MikroTik that asks the panel's
 * RADIUS service (started by `npm start` on E2E_RADIUS_AUTH_PORT / ACCT_PORT), its session shows on /sessions
 * for the reseller whose NAS it is, and Disconnect sends a Disconnect-Request to the router's CoA port: the
 * router ends the session, its Stop closes the row, and the row leaves the list.
 */
const AUTH_PORT = Number(process.env.RADIUS_AUTH_PORT ?? 18127);
const ACCT_PORT = Number(process.env.RADIUS_ACCT_PORT ?? 18137);
const SECRET = 'e2e-secret'; // what world.createNas seals for every NAS it creates

async function resellerWithNas(world: World, host: string) {
  const reseller = await world.createReseller();
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  const nas = await world.createNas({ ip: host, resellerId: reseller.id });
  return { reseller, user, nas };
}

test('a subscriber online through a router shows on /sessions; Disconnect ends it and the Stop takes its row away', async ({
  page,
  world,
}) => {
  test.setTimeout(90_000);
  const host = `127.0.91.${Math.floor(Math.random() * 250) + 1}`;
  const coaPort = 21000 + Math.floor(Math.random() * 2000);
  const { reseller, user, nas } = await resellerWithNas(world, host);
  await world.sql`update nas_devices set coa_port = ${coaPort} where id = ${nas.id}`;
  const [plan] = await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${world.unique('Home 20')}, 20000, 5000)
    returning id`;
  const username = world.unique('cpe').toLowerCase();
  const password = 'cpe-password-e2e';
  // The id first: the password's ciphertext is bound to its row, as the panel writes it.
  const [{ id: subscriberId }] = await world.sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`;
  await world.sql`insert into subscribers (id, username, reseller_id, nas_id, plan_id, password_enc)
    values (${subscriberId}, ${username}, ${reseller.id}, ${nas.id}, ${plan.id},
            ${encryptSecret(password, subscriberPasswordBinding(subscriberId))})`;

  let router: SimRouter | null = null;
  try {
    router = await startRouter({
      host,
      apiPort: 0,
      username: 'panel',
      password: 'api-pass',
      identity: 'e2e-sessions',
      version: '7.18.2 (stable)',
      pools: [{ name: 'pppoe-e2e', ranges: '100.73.0.10-100.73.0.20' }],
      coa: { port: coaPort, secret: SECRET },
      radiusClient: {
        server: '127.0.0.1',
        authPort: AUTH_PORT,
        acctPort: ACCT_PORT,
        secret: SECRET,
        subscribers: [{ name: username, password, method: 'pap' }],
        timeoutMs: 1000,
        // Dials again after the Disconnect too, as a CPE does: a new session, a new row.
        redialSeconds: 3,
      },
    });
    await expect.poll(() => router!.getPppActive().map((s) => s.name), { timeout: 15_000 }).toEqual([username]);
    const address = router.getPppActive()[0].address;

    // Another session on the same NAS, older: it stays while the disconnected one goes.
    const other = world.unique('neighbour').toLowerCase();
    await world.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
      values ('81b00001', ${world.unique('uid')}, ${other}, ${host}, now() - interval '1 hour', now())`;

    await world.signIn(page, user);
    await page.goto('/sessions');
    const row = page.locator(`tr[data-username="${username}"]`);
    await expect(async () => {
      await page.reload();
      await expect(row).toHaveCount(1, { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await expect(row.getByTestId('session-framed-ip')).toHaveText(address);
    await expect(row.getByTestId('session-nas')).toHaveText(nas.name);
    const rowTestId = (await row.getAttribute('data-testid'))!;
    const sessionId = Number(rowTestId.replace('session-row-', ''));
    const rows = page.locator('tr[data-username]');
    await expect(rows).toHaveCount(2);
    // Found by its address too; then the whole list again, loaded, before anything is clicked.
    await page.getByTestId('session-search').fill(address);
    await expect(rows).toHaveCount(1);
    await page.getByTestId('session-search').fill('');
    await expect(rows).toHaveCount(2);

    await row.getByTestId('session-disconnect-button').click();
    const message = page.getByTestId('session-action-message');
    await expect(message).toContainText(username);
    await expect(message).toHaveAttribute('data-ok', 'true');
    // Gone from the list once the router's Stop has closed it, without a reload; the neighbour stays.
    await expect(page.getByTestId(rowTestId)).toHaveCount(0, { timeout: 20_000 });
    await expect(page.locator(`tr[data-username="${other}"]`)).toHaveCount(1);
    // Closed by that Stop (the simulator's Disconnect ends it with Admin-Reset), not by hand.
    const [closed] = await world.sql`select acctstoptime, acctterminatecause from radacct where radacctid = ${sessionId}`;
    expect(closed.acctstoptime).not.toBeNull();
    expect(closed.acctterminatecause).toBe('Admin-Reset');
    const [byHand] = await world.sql`select count(*)::int as n from audit_log where action = 'session.close' and entity_id = ${sessionId}`;
    expect(byHand.n).toBe(0);
  } finally {
    await router?.stop();
  }
});

test('the NAS table’s Active sessions opens its sessions; a session whose Stop never came is closed by hand', async ({ page, world }) => {
  const { user, nas } = await resellerWithNas(world, `127.0.92.${Math.floor(Math.random() * 250) + 1}`);
  const other = await world.createNas({ resellerId: (await world.createReseller()).id });
  const stale = world.unique('stale').toLowerCase();
  // A router that rebooted without Accounting-On: its session stays open here, an address still in use.
  const [row] = await world.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress,
      acctstarttime, acctupdatetime)
    values ('81a00001', ${world.unique('uid')}, ${stale}, ${nas.ip}, '100.74.0.9', now() - interval '2 days', now() - interval '1 day')
    returning radacctid`;
  await world.sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address, status, username)
    values (${nas.id}, 'pppoe', '100.74.0.9', 'in_use', ${stale})`;
  await world.openSessions(other.ip, 1);

  await world.signIn(page, user);
  await page.goto('/nas');
  const activeLink = page.getByTestId(`nas-row-${nas.id}`).getByTestId('active-sessions');
  await expect(activeLink).toHaveText('1');
  await activeLink.click();
  await expect(page).toHaveURL(new RegExp(`/sessions\\?nas_id=${nas.id}$`));
  await expect(page.getByTestId('session-nas-filter')).toHaveValue(String(nas.id));
  await expect(page.locator('tr[data-username]')).toHaveCount(1);
  const session = page.getByTestId(`session-row-${row.radacctid}`);
  await expect(session).toHaveAttribute('data-username', stale);

  await session.getByTestId('session-close-button').click();
  const dialog = page.getByTestId('session-close-dialog');
  await expect(dialog).toContainText('whose Stop never came');
  await dialog.getByTestId('session-close-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('session-action-message')).toContainText(stale);
  await expect(page.getByTestId('session-empty')).toBeVisible();
  const [closed] = await world.sql`select acctterminatecause from radacct where radacctid = ${row.radacctid}`;
  expect(closed.acctterminatecause).toBe('Admin-Reset');
  const [address] = await world.sql`select status from ip_pool_assignments where nas_id = ${nas.id} and ip_address = '100.74.0.9'`;
  expect(address.status).toBe('available');
  await page.goto('/nas');
  await expect(page.getByTestId(`nas-row-${nas.id}`).getByTestId('active-sessions')).toHaveText('0');
});
