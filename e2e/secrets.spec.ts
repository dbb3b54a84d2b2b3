import { expect, test } from './fixtures';

test('a stored secret and API password never reach the browser: not in HTML, not in any response', async ({ adminPage: page, world }) => {
  const secret = `rad-${world.unique('secret')}`;
  const apiPassword = `api-${world.unique('pass')}`;
  const bodies: string[] = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() === 'image') return;
    bodies.push(await res.text().catch(() => ''));
  });

  const name = world.unique('Secretive');
  await page.goto('/nas');
  await page.getByTestId('nas-add-button').click();
  const dialog = page.getByTestId('nas-form-dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('IP Address').fill(`127.0.84.${Math.floor(Math.random() * 250) + 1}`);
  await dialog.getByLabel('Secret', { exact: true }).fill(secret);
  await dialog.getByLabel('API Username').fill('panel');
  await dialog.getByLabel('API Password').fill(apiPassword);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  // Everything that shows the NAS afterwards: the list, the edit form, the detail page, its raw HTML.
  await page.getByTestId('nas-search').fill(name);
  const row = page.locator(`tr[data-nas-name="${name}"]`);
  await expect(row.getByTestId('secret-badge')).toHaveText('Set');
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  await expect(dialog.getByTestId('secret-stored')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await row.getByRole('link', { name, exact: true }).click();
  await expect(page.getByTestId('nas-history')).toContainText(`created NAS ${name}`);
  const html = await (await page.request.get(page.url())).text();

  for (const text of [html, await page.content(), ...bodies]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(apiPassword);
  }
});
