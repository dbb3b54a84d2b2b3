import { expect, test } from './fixtures';

test('admin adds a plan: pools of the default NAS, the reply preview as it is typed, field errors, then the table', async ({
  adminPage: page,
  world,
}) => {
  const reseller = await world.createReseller();
  const nas = await world.createNas({});
  // Two pools imported from the router.
  await world.sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address)
    select ${nas.id}, case when g % 2 = 0 then 'ppp-e2e' else 'ppp-vip' end, ('10.250.0.0'::inet + g) from generate_series(1, 20) g`;
  const name = world.unique('Home');

  await page.goto('/plans');
  await expect(page.getByRole('heading', { name: 'Services & Plans' })).toBeVisible();
  await page.getByTestId('plan-add-button').click();
  const dialog = page.getByTestId('plan-form-dialog');
  const mikrotik = dialog.getByTestId('plan-preview-mikrotik');
  const generic = dialog.getByTestId('plan-preview-generic');

  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Download rate', { exact: true }).fill('50');
  await expect(dialog.getByTestId('plan-preview-incomplete')).toBeVisible();
  await dialog.getByLabel('Upload rate', { exact: true }).fill('10');
  await expect(mikrotik).toContainText('Mikrotik-Rate-Limit = "10000k/50000k"');
  await expect(generic).toContainText('WISPr-Bandwidth-Max-Down = 50000000');
  await expect(mikrotik).toContainText('Acct-Interim-Interval = 300');

  // A unit changes the rate; burst and Filter-Id show up in the reply as typed.
  await dialog.getByLabel('Upload unit', { exact: true }).selectOption('k');
  await dialog.getByLabel('Upload rate', { exact: true }).fill('10000');
  await dialog.getByLabel('Burst download rate', { exact: true }).fill('80');
  await dialog.getByLabel('Burst upload rate', { exact: true }).fill('15');
  await dialog.getByLabel('Burst threshold download rate', { exact: true }).fill('40');
  await dialog.getByLabel('Burst threshold upload rate', { exact: true }).fill('8');
  await dialog.getByLabel('Burst time (s)', { exact: true }).fill('16');
  await dialog.getByLabel('Filter-Id', { exact: true }).fill('RES-50M');
  await expect(mikrotik).toContainText('Mikrotik-Rate-Limit = "10000k/50000k 15000k/80000k 8000k/40000k 16/16"');
  await expect(generic).toContainText('Filter-Id = "RES-50M"');

  // Framed-Pool is chosen among the default NAS's imported pools.
  await dialog.getByLabel('Default NAS', { exact: true }).selectOption({ label: `${nas.name} (${nas.ip}, mikrotik)` });
  const pool = dialog.getByLabel('Framed-Pool', { exact: true });
  await expect(pool.locator('option')).toHaveText(['None', 'ppp-e2e (imported)', 'ppp-vip (imported)']);
  await pool.selectOption('ppp-e2e');
  await expect(mikrotik).toContainText('Framed-Pool = "ppp-e2e"');
  await dialog.getByLabel(reseller.name, { exact: true }).check();

  // A burst below the rate is a field error under its input, and nothing is saved.
  await dialog.getByLabel('Burst download rate', { exact: true }).fill('20');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Burst download rate', { exact: true })).toHaveAccessibleDescription(
    'Burst download rate must be at least the download rate (50000 kbit/s)',
  );
  await dialog.getByLabel('Burst download rate', { exact: true }).fill('80');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const row = page.locator(`tr[data-plan-name="${name}"]`);
  await expect(row.getByTestId('plan-rates')).toHaveText('50 Mbit/s / 10 Mbit/s');
  await expect(row).toContainText('80 Mbit/s / 15 Mbit/s');
  await expect(row).toContainText('RES-50M');
  await expect(row).toContainText(nas.name);
  await expect(row).toContainText('ppp-e2e');
  await expect(row).toContainText(reseller.name);
  await expect(row.getByTestId('plan-subscribers')).toHaveText('0');

  // Edit opens with what was saved: the same preview.
  await row.getByTestId('plan-edit-button').click();
  await expect(dialog.getByTestId('plan-preview-mikrotik')).toContainText(
    'Mikrotik-Rate-Limit = "10000k/50000k 15000k/80000k 8000k/40000k 16/16"',
  );
  await expect(dialog.getByLabel('Framed-Pool', { exact: true })).toHaveValue('ppp-e2e');
});
