import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

async function openEdit(page: Page, name: string) {
  await page.goto('/nas');
  await page.getByTestId('nas-search').fill(name);
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  return page.getByTestId('nas-form-dialog');
}

test('a field error clears as the user types; others stay', async ({ adminPage: page }) => {
  await page.goto('/nas');
  await page.getByTestId('nas-add-button').click();
  const dialog = page.getByTestId('nas-form-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('Name is required');
  await dialog.getByLabel('Name', { exact: true }).pressSequentially('x');
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('Display name.');
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveAccessibleDescription('Secret is required');
  await expect(dialog.getByTestId('nas-form-error')).toHaveCount(0);
  // Test connection validates first: field errors, no test dialog.
  await dialog.getByLabel('Auth Port').fill('99999');
  await dialog.getByTestId('nas-form-test-connection').click();
  await expect(dialog.getByLabel('Auth Port')).toHaveAccessibleDescription('Auth Port must be between 1 and 65535');
  await expect(page.getByTestId('test-connection-dialog')).toHaveCount(0);
  // Use SSL shows Allow anonymous TLS.
  await expect(dialog.getByLabel('Allow anonymous TLS')).toHaveCount(0);
  await dialog.getByLabel('Use SSL').check();
  await expect(dialog.getByLabel('Allow anonymous TLS')).toBeVisible();
  // Generic: hidden API inputs with junk are not submitted; the junk port shows nowhere.
  await dialog.getByLabel('API Port', { exact: true }).fill('junk');
  await dialog.getByLabel('Type').selectOption('generic');
  await dialog.getByLabel('Auth Port').fill('1812');
  await dialog.getByLabel('IP Address').fill('127.0.97.9');
  await dialog.getByLabel('Secret', { exact: true }).fill('s');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
});

test('an error with no visible input is said once above the buttons', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({ type: 'generic', apiUsername: 'panel', apiPassword: 'api-pass' });
  const dialog = await openEdit(page, nas.name);
  await expect(dialog.getByTestId('nas-form-api-section')).toHaveCount(0);
  await dialog.getByLabel('IP Address').fill('192.0.2.77');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveAccessibleDescription(
    'Retype the secret: the IP address or CoA port changed',
  );
  await expect(dialog.getByTestId('nas-form-error')).toHaveText('Retype the API password: the API address changed');
  // Shown again under its input once the section is visible, and not twice.
  await dialog.getByLabel('Type').selectOption('mikrotik');
  await expect(dialog.getByLabel('API Password', { exact: true })).toHaveAccessibleDescription(
    'Retype the API password: the API address changed',
  );
  await expect(dialog.getByTestId('nas-form-error')).toHaveCount(0);
});

test('a failed call with no field error is said above the buttons', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({});
  const dialog = await openEdit(page, nas.name);
  await dialog.getByLabel('Short Name').fill('gone');
  await world.sql`delete from nas_devices where id = ${nas.id}`;
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByTestId('nas-form-error')).toContainText('not found');
});

test('an unreadable stored secret asks for a new one', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({});
  await world.sql`update nas_devices set secret_enc = 'v1.garbage' where id = ${nas.id}`;
  const dialog = await openEdit(page, nas.name);
  await expect(dialog.getByTestId('secret-stored')).toHaveText('The stored secret is unreadable: set a new one.');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveAccessibleDescription('The stored secret is unreadable: set a new one');
  await dialog.getByLabel('Secret', { exact: true }).fill('fresh');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
});

test('reseller form: field errors and save', async ({ adminPage: page, world }) => {
  await page.goto('/resellers');
  await page.getByRole('button', { name: /Add reseller/i }).click();
  const dialog = page.getByTestId('reseller-form-dialog');
  await dialog.getByLabel('Contact Email').fill('nope');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription('Name is required');
  await expect(dialog.getByLabel('Contact Email')).toHaveAccessibleDescription('Contact Email must be a valid e-mail address');
  const name = world.unique('Res');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Contact Email').fill('ops@example.net');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('link', { name })).toBeVisible();
});

test('user edit keeps role and reseller selected once options load', async ({ adminPage: page, world }) => {
  const reseller = await world.createReseller();
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  await page.goto('/users');
  await page.getByRole('button', { name: `Edit ${user.email}` }).click();
  const dialog = page.getByTestId('user-form-dialog');
  await expect(dialog.getByLabel('Role')).toHaveValue(/\d+/);
  await expect(dialog.getByLabel('Role').locator('option:checked')).toHaveText('reseller');
  await expect(dialog.getByLabel('Reseller').locator('option:checked')).toHaveText(reseller.name);
  await dialog.getByLabel('New password').fill('short');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('New password')).toHaveAccessibleDescription('Password must be at least 10 characters');
});
