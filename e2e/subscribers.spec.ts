import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { expect, test } from './fixtures';

/**
 * The reseller guard's whole point, end to end: a reseller adds a subscriber on its own NAS in the browser, the
 * subscriber's CPE dials in through a simulated MikroTik that asks the panel's RADIUS service (started by
 * `npm start` on E2E_RADIUS_AUTH_PORT / ACCT_PORT), and the Subscribers page shows it online with the address the
 * router handed out. Nothing restarts in between: the RADIUS service picks the new subscriber up on commit.
 */
const AUTH_PORT = Number(process.env.RADIUS_AUTH_PORT ?? 18127);
const ACCT_PORT = Number(process.env.RADIUS_ACCT_PORT ?? 18137);
const SECRET = 'e2e-secret'; // what world.createNas seals for every NAS it creates

test('a reseller adds a subscriber on its NAS; the subscriber logs in through the router and shows online', async ({ page, world }) => {
  const host = `127.0.93.${Math.floor(Math.random() * 250) + 1}`;
  const reseller = await world.createReseller();
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  const nas = await world.createNas({ ip: host, resellerId: reseller.id });
  // Another reseller's NAS and a plan not offered to ours: neither may be offered in the form.
  const foreign = await world.createNas({ resellerId: (await world.createReseller()).id });
  const planName = world.unique('Home 50');
  const [plan] = await world.sql`insert into plans (name, download_kbps, upload_kbps, default_nas_id)
    values (${planName}, 50000, 10000, ${nas.id}) returning id`;
  await world.sql`insert into plan_resellers (plan_id, reseller_id) values (${plan.id}, ${reseller.id})`;
  const foreignPlan = world.unique('Not yours');
  await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${foreignPlan}, 1000, 1000)`;

  await world.signIn(page, user);
  await page.goto('/subscribers');
  await expect(page.getByTestId('subscriber-empty')).toBeVisible();

  // Add subscriber: a generated password, the plan (which preselects its default NAS: ours).
  const username = world.unique('cpe').toLowerCase();
  await page.getByTestId('subscriber-add-button').click();
  const dialog = page.getByTestId('subscriber-form-dialog');
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByTestId('subscriber-generate-password').click();
  const planSelect = dialog.getByLabel('Plan');
  await expect(planSelect.locator('option', { hasText: planName })).toHaveCount(1);
  await expect(planSelect.locator('option', { hasText: foreignPlan })).toHaveCount(0);
  await planSelect.selectOption(String(plan.id));
  const nasSelect = dialog.getByLabel('NAS', { exact: true });
  await expect(nasSelect).toHaveValue(String(nas.id));
  await expect(nasSelect.locator('option', { hasText: foreign.name })).toHaveCount(0);
  await dialog.getByTestId('subscriber-form-save').click();

  // The generated password, shown once.
  const shown = dialog.getByTestId('generated-password');
  await expect(shown).toBeVisible();
  const password = (await shown.innerText()).trim();
  expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
  await dialog.getByTestId('generated-password-done').click();
  await expect(dialog).toBeHidden();

  const row = page.locator(`tr[data-username="${username}"]`);
  await expect(row.getByTestId('subscriber-offline')).toBeVisible();
  await expect(row.getByTestId('subscriber-nas')).toHaveText(nas.name);
  await expect(row.getByTestId('subscriber-plan')).toHaveText(planName);

  // The subscriber's CPE dials in through the router, which asks the panel's RADIUS service.
  let router: SimRouter | null = null;
  try {
    router = await startRouter({
      host,
      apiPort: 0,
      username: 'panel',
      password: 'api-pass',
      identity: 'e2e-subscribers',
      version: '7.18.2 (stable)',
      pools: [{ name: 'pppoe-e2e', ranges: '100.72.0.10-100.72.0.20' }],
      radiusClient: {
        server: '127.0.0.1',
        authPort: AUTH_PORT,
        acctPort: ACCT_PORT,
        secret: SECRET,
        subscribers: [{ name: username, password, method: 'pap' }],
        timeoutMs: 1000,
        redialSeconds: 1,
      },
    });
    await expect.poll(() => router!.getPppActive().map((s) => s.name), { timeout: 15_000 }).toEqual([username]);
    const address = router.getPppActive()[0].address;
    expect(address).toMatch(/^100\.72\.0\.\d+$/);

    // Online on the Subscribers page, with the address, found by that address too.
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('subscriber-online')).toContainText(address, { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await page.getByTestId('subscriber-search').fill(address);
    await expect(page.locator('tr[data-username]')).toHaveCount(1);
    await expect(row).toBeVisible();
    await page.getByTestId('subscriber-online-filter').selectOption('online');
    await expect(row).toBeVisible();

    // The detail page: the open session from accounting.
    await row.getByTestId('subscriber-link').click();
    await expect(page.getByTestId('online-ip')).toHaveText(address);
    await expect(page.getByTestId('subscriber-session').first()).toContainText(address);

    // Delete is refused while the session is open, with the count.
    await page.getByTestId('subscriber-delete-button').click();
    await page.getByTestId('subscriber-delete-confirm').click();
    await expect(page.getByTestId('subscriber-delete-error')).toHaveText(
      `cannot delete subscriber ${username}: 1 session is open; disconnect them first`,
    );
  } finally {
    await router?.stop();
  }

  // Total Users on the NAS page links back to the NAS's subscribers.
  await page.goto(`/nas/${nas.id}`);
  await expect(page.getByTestId('total-users')).toHaveText('1');
  await page.getByTestId('total-users').click();
  await expect(page).toHaveURL(new RegExp(`/subscribers\\?nas_id=${nas.id}$`));
  await expect(page.getByTestId('subscriber-nas-filter')).toHaveValue(String(nas.id));
  await expect(page.locator('tr[data-username]')).toHaveCount(1);
});
