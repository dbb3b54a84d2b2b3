import fs from 'node:fs';
import { expect, test } from './fixtures';

/**
 * CSV import end to end in Chromium: the file goes through the streamed upload route, the dry run's error comes
 * back with its line, nothing is written until the fixed file is imported by the panel's background job, whose
 * progress the dialog polls to the end; the subscribers are then in the list, and Export gives them back without
 * their passwords.
 */
test('an admin imports a CSV: a bad row shown with its line, fixed, imported, listed and exported', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({});
  const plan = world.unique('Import 20M');
  await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${plan}, 20000, 5000)`;
  const prefix = world.unique('imp').toLowerCase();
  const rows = (third: string) =>
    [
      'username,password,plan,nas,static_ip,enabled',
      `${prefix}-a,secret-a,${plan},${nas.name},,true`,
      `${prefix}-b,secret-b,${third},${nas.ip},,yes`,
      `${prefix}-c,"secret, c",${plan},${nas.name},,no`,
    ].join('\r\n');
  const file = (text: string) => ({ name: 'subscribers.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

  await page.goto('/subscribers');
  await page.getByTestId('subscriber-import-button').click();
  const dialog = page.getByTestId('subscriber-import-dialog');
  await dialog.getByTestId('subscriber-import-file').setInputFiles(file(rows('No such plan')));
  await dialog.getByTestId('subscriber-import-upload').click();
  await expect(dialog.getByTestId('subscriber-import-invalid')).toContainText('1 problem in 3 rows');
  const errors = dialog.getByTestId('subscriber-import-errors');
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr').first()).toContainText('3');
  await expect(errors.locator('tbody tr').first()).toContainText('no plan named "No such plan"');
  await expect(dialog.getByTestId('subscriber-import-start')).toHaveCount(0);
  expect((await world.sql`select count(*)::int as n from subscribers where username like ${prefix + '%'}`)[0].n).toBe(0);

  // Fixed: checked, then imported by the background job while the dialog follows it.
  await dialog.getByTestId('subscriber-import-another').click();
  await dialog.getByTestId('subscriber-import-file').setInputFiles(file(rows(plan)));
  await dialog.getByTestId('subscriber-import-upload').click();
  await expect(dialog.getByTestId('subscriber-import-checked')).toContainText('3 subscribers in subscribers.csv passed the check');
  await dialog.getByTestId('subscriber-import-start').click();
  await expect(dialog.getByTestId('subscriber-import-done')).toHaveText('Imported 3 subscribers from subscribers.csv.', {
    timeout: 20_000,
  });
  await dialog.getByTestId('subscriber-import-close').click();

  await page.getByTestId('subscriber-search').fill(prefix);
  const table = page.getByTestId('subscriber-table');
  for (const s of ['a', 'b', 'c']) await expect(table).toContainText(`${prefix}-${s}`);

  // Export: the same columns, the password column empty.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('subscriber-export-button').click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv).toContain(`${prefix}-a,,${plan},${nas.ip},,true`);
  expect(csv).toContain(`${prefix}-c,,${plan},${nas.ip},,false`);
  expect(csv).not.toContain('secret-');
});
