import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** The e2e database is shared by every spec: find rows by searching, never by their position in the list. */
async function search(page: Page, text: string) {
  await page.getByTestId('nas-search').fill(text);
}

function row(page: Page, name: string) {
  return page.getByTestId('nas-table').locator(`tr[data-nas-name="${name}"]`);
}

test('admin adds, edits, searches and deletes a NAS', async ({ adminPage: page, world }) => {
  const name = world.unique('Core');
  // Loopback: the panel will try this router's API (pool import), and tests may only reach this machine.
  const ip = `127.0.99.${Math.floor(Math.random() * 250) + 1}`;
  await page.goto('/nas');

  // Add: the form validates with the shared schema before anything is sent.
  await page.getByTestId('nas-add-button').click();
  const dialog = page.getByTestId('nas-form-dialog');
  await expect(dialog.getByLabel('Auth Port')).toHaveValue('1812');
  await expect(dialog.getByLabel('CoA Port')).toHaveValue('1700');
  await expect(dialog.getByLabel('Is Active')).toBeChecked();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Name is required')).toBeVisible();
  await expect(dialog.getByText('Secret is required')).toBeVisible();

  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('IP Address').fill(ip);
  await dialog.getByLabel('Secret', { exact: true }).fill('s3cret');
  await dialog.getByLabel('API Username').fill('panel');
  await dialog.getByLabel('API Password', { exact: true }).fill('api-pass');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await search(page, name);
  await expect(row(page, name)).toBeVisible();
  await expect(row(page, name).getByTestId('secret-badge')).toHaveText('Set');
  await expect(row(page, name).getByTestId('api-badge')).toHaveText('API');
  await expect(row(page, name).getByTestId('status-badge')).toHaveText('offline');
  await expect(row(page, name).getByTestId('last-seen')).toHaveText('never');

  // Edit: secrets start empty and are kept; generic hides the API section; clearing the API password is explicit.
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveValue('');
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveAttribute('placeholder', 'unchanged — leave empty to keep');
  await expect(dialog.getByTestId('secret-stored')).toHaveText('A secret is stored.');
  await dialog.getByLabel('Clear stored API password').check();
  await dialog.getByLabel('Short Name').fill('C1');
  await dialog.getByLabel('Type').selectOption('generic');
  await expect(dialog.getByTestId('nas-form-api-section')).toBeHidden();
  await dialog.getByLabel('Type').selectOption('mikrotik');
  await expect(dialog.getByLabel('Clear stored API password')).toBeChecked();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, name).getByTestId('nas-short-name')).toHaveText('C1');
  await expect(row(page, name).getByTestId('secret-badge')).toHaveText('Set');
  await expect(row(page, name).getByTestId('api-badge')).toHaveText('No API');

  // Detail: history names the change, never a secret's value.
  await row(page, name).getByRole('link', { name, exact: true }).click();
  await expect(page).toHaveURL(/\/nas\/\d+$/);
  await expect(page.getByTestId('nas-ip')).toHaveText(ip);
  await expect(page.getByTestId('nas-history')).toContainText(`created NAS ${name}`);
  await expect(page.getByTestId('nas-history')).toContainText(`updated NAS ${name}`);
  await expect(page.getByTestId('nas-history')).not.toContainText('api-pass');

  // Search narrows the list by name and by IP.
  const other = await world.createNas({});
  await page.goto('/nas');
  await search(page, ip);
  await expect(row(page, name)).toBeVisible();
  await expect(row(page, other.name)).toHaveCount(0);
  await search(page, other.name);
  await expect(row(page, other.name)).toBeVisible();
  await expect(row(page, name)).toHaveCount(0);

  // Delete, after confirmation.
  await search(page, name);
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByTestId('nas-delete-dialog');
  await expect(confirm).toContainText(name);
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(row(page, name)).toHaveCount(0);
  await expect(page.getByTestId('nas-empty')).toBeVisible();
});

test('a stored secret does not follow a changed address: the form asks to retype it', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({ apiUsername: 'panel', apiPassword: 'api-pass' });
  await page.goto('/nas');
  await search(page, nas.name);
  await page.getByRole('button', { name: `Edit ${nas.name}` }).click();
  const dialog = page.getByTestId('nas-form-dialog');
  await dialog.getByLabel('API Host').fill('192.0.2.200');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('API Password', { exact: true })).toHaveAccessibleDescription(
    'Retype the API password: the API address changed',
  );
  await dialog.getByLabel('API Host').fill('');
  await dialog.getByLabel('IP Address').fill('192.0.2.201');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Secret', { exact: true })).toHaveAccessibleDescription(
    'Retype the secret: the IP address or CoA port changed',
  );
  // Typed again, both are saved for the new address.
  await dialog.getByLabel('Secret', { exact: true }).fill('new-secret');
  await dialog.getByLabel('API Password', { exact: true }).fill('new-api-pass');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, nas.name)).toContainText('192.0.2.201');
});

test('a duplicate IP is reported under the IP Address field', async ({ adminPage: page, world }) => {
  const existing = await world.createNas({});
  await page.goto('/nas');
  await page.getByTestId('nas-add-button').click();
  const dialog = page.getByTestId('nas-form-dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(world.unique('Dup'));
  await dialog.getByLabel('IP Address').fill(existing.ip);
  await dialog.getByLabel('Secret', { exact: true }).fill('s3cret');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('IP Address')).toHaveAccessibleDescription(`a NAS with IP ${existing.ip} already exists`);
  await expect(dialog).toBeVisible();
});

test('delete is refused while the NAS has open sessions', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({});
  await world.openSessions(nas.ip, 3);
  await page.goto('/nas');
  await search(page, nas.name);
  await expect(row(page, nas.name).getByTestId('active-sessions')).toHaveText('3');
  await page.getByRole('button', { name: `Delete ${nas.name}` }).click();
  const confirm = page.getByTestId('nas-delete-dialog');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm.getByRole('alert')).toHaveText(
    `cannot delete NAS ${nas.name}: 3 active sessions are open on ${nas.ip}; disconnect them first`,
  );
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(page, nas.name)).toBeVisible();
});

test('a reseller sees only its NAS', async ({ page, world }) => {
  const reseller = await world.createReseller();
  const mine = await world.createNas({ resellerId: reseller.id });
  const theirs = await world.createNas({});
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  await world.signIn(page, user);

  await page.goto('/nas');
  await expect(row(page, mine.name)).toBeVisible();
  await expect(page.getByTestId('nas-table').locator('tbody tr[data-nas-name]')).toHaveCount(1);
  await search(page, theirs.name);
  await expect(page.getByTestId('nas-empty')).toBeVisible();

  // Out of scope reads exactly like missing.
  await page.goto(`/nas/${theirs.id}`);
  await expect(page.getByTestId('nas-not-found')).toBeVisible();
  await page.goto(`/nas/${mine.id}`);
  await expect(page.getByTestId('nas-detail')).toBeVisible();
});

test('a reseller without assignments sees an empty list', async ({ page, world }) => {
  const reseller = await world.createReseller();
  await world.signIn(page, await world.createUser({ role: 'reseller', resellerId: reseller.id }));
  await page.goto('/nas');
  await expect(page.getByTestId('nas-empty')).toHaveText('No NAS devices are assigned to your reseller');
});

test('a user without nas.create sees no Add button, nor Edit or Delete', async ({ page, world }) => {
  const nas = await world.createNas({});
  await world.signIn(page, await world.createUser({ role: 'operator' }));
  await page.goto('/nas');
  await search(page, nas.name);
  await expect(row(page, nas.name)).toBeVisible();
  await expect(page.getByTestId('nas-add-button')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Edit ${nas.name}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Delete ${nas.name}` })).toHaveCount(0);
  await expect(row(page, nas.name).getByRole('link', { name: `Diagnostic Tools for ${nas.name}` })).toBeVisible();
});

test('admin assigns a NAS to a reseller from the reseller page', async ({ adminPage: page, world }) => {
  const reseller = await world.createReseller();
  const nas = await world.createNas({});
  await page.goto('/resellers');
  await page.getByRole('link', { name: reseller.name }).click();
  await page.getByTestId('assignment-filter').fill(nas.name);
  const box = page.getByRole('checkbox', { name: `Assign ${nas.name}` });
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(box).toBeChecked();
  await expect(box).toBeEnabled();
  await expect(page.getByTestId('reseller-assigned-count')).toHaveText(/^1 of /);
});

test('the wrench icon opens Diagnostic Tools with the NAS preselected', async ({ adminPage: page, world }) => {
  const nas = await world.createNas({});
  await page.goto('/nas');
  await search(page, nas.name);
  await row(page, nas.name)
    .getByRole('link', { name: `Diagnostic Tools for ${nas.name}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/diagnostics\\?nas_id=${nas.id}$`));
  await expect(page.getByTestId('diagnostics-nas-select')).toHaveValue(String(nas.id));
  await expect(page.getByTestId('diagnostics-nas-summary')).toContainText(nas.ip);
});
