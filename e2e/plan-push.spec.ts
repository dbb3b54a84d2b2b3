import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { expect, test } from './fixtures';

/**
 * A live plan change end to end: the admin edits a plan's download rate, the page offers to apply it to the
 * plan's online session, and the background job's CoA-Request gives the simulated router's session the new
 * Mikrotik-Rate-Limit without a reconnect, the page following its progress to the end.
 */
const SECRET = 'e2e-secret'; // what world.createNas seals for every NAS it creates

test('editing a plan offers Apply to the online sessions; the CoA gives the router the new rate', async ({ adminPage: page, world }) => {
  test.setTimeout(60_000);
  const host = `127.0.98.${Math.floor(Math.random() * 250) + 1}`;
  const coaPort = 23000 + Math.floor(Math.random() * 2000);
  const nas = await world.createNas({ ip: host });
  await world.sql`update nas_devices set coa_port = ${coaPort} where id = ${nas.id}`;
  const planName = world.unique('Push');
  const [plan] = await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${planName}, 20000, 5000) returning id`;
  const username = world.unique('cpe').toLowerCase();
  await world.sql`insert into subscribers (username, nas_id, plan_id) values (${username}, ${nas.id}, ${plan.id})`;

  let router: SimRouter | null = null;
  try {
    router = await startRouter({
      host,
      apiPort: 0,
      username: 'panel',
      password: 'api-pass',
      coa: { port: coaPort, secret: SECRET },
      pppActive: [{ name: username, address: '100.74.0.5' }],
    });
    const session = router.getPppActive()[0];
    await world.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime)
      values (${session.sessionId.replace(/^0x/i, '').toLowerCase()}, ${world.unique('uniq')}, ${username}, ${host}::inet,
              '100.74.0.5'::inet, now())`;

    await page.goto('/plans');
    await page.getByTestId('plan-search').fill(planName);
    const row = page.locator(`[data-plan-name="${planName}"]`);
    await row.getByTestId('plan-edit-button').click();
    const dialog = page.getByTestId('plan-form-dialog');
    await dialog.getByLabel('Download rate', { exact: true }).fill('30');
    await dialog.getByTestId('plan-form-save').click();
    await expect(dialog).toBeHidden();

    const offer = page.getByTestId('plan-push');
    await expect(offer.getByTestId('plan-push-apply')).toHaveText('Apply to the 1 online session now');
    await offer.getByTestId('plan-push-apply').click();
    await expect(offer.getByTestId('plan-push-progress')).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
    await expect(offer.getByTestId('plan-push-failures')).toHaveCount(0);
    await expect(offer.getByTestId('plan-push-counts')).toHaveText('Done: 1 of 1 sessions — 1 changed, 0 failed');
    expect(router.getPppActive()[0].rateLimit).toBe('5000k/30000k');
  } finally {
    await router?.stop();
  }
});
