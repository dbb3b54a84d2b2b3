import { expect, test } from './fixtures';

test('admin creates a user linked to a reseller; the form shows field errors first', async ({ adminPage: page, world }) => {
  const reseller = await world.createReseller();
  const email = `${world.unique('ops')}@e2e.local`;
  await page.goto('/users');
  await page.getByTestId('user-add-button').click();
  const dialog = page.getByTestId('user-form-dialog');
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByLabel('Password').fill('short');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Email')).toHaveAccessibleDescription('Email must be a valid e-mail address');
  await expect(dialog.getByLabel('Password')).toHaveAccessibleDescription('Password must be at least 10 characters');
  await expect(dialog.getByLabel('Role')).toHaveAccessibleDescription('Role is required');

  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill('long-enough-password');
  await dialog.getByLabel('Role').selectOption({ label: 'reseller' });
  await dialog.getByLabel('Reseller').selectOption({ label: reseller.name });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator(`tr[data-user-email="${email}"]`);
  await expect(row).toContainText('reseller');
  await expect(row).toContainText(reseller.name);

  // The same email again is a field error under Email.
  await page.getByTestId('user-add-button').click();
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill('long-enough-password');
  await dialog.getByLabel('Role').selectOption({ label: 'operator' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Email')).toHaveAccessibleDescription(`a user with email ${email} already exists`);
});

test('a user disabled by an admin loses their open session on the very next call', async ({ adminPage: page, world, browser }) => {
  const user = await world.createUser({ role: 'operator' });
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  try {
    await world.signIn(theirPage, user);
    await theirPage.goto('/nas');
    await expect(theirPage.getByRole('heading', { name: 'NAS / Routers' })).toBeVisible();
    const listCall = () =>
      theirPage.request.get(`/api/trpc/nas.list?input=${encodeURIComponent(JSON.stringify({}))}`).then((r) => r.status());
    expect(await listCall()).toBe(200);
    expect(await listCall()).toBe(200); // now answered from the panel's actor cache

    await page.goto('/users');
    await page.getByRole('button', { name: `Edit ${user.email}` }).click();
    const dialog = page.getByTestId('user-form-dialog');
    await dialog.getByLabel('Active').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    // The trigger's notification reaches the panel at commit: no waiting out a cache lifetime.
    await expect.poll(listCall, { timeout: 2000 }).toBe(401);
    await theirPage.goto('/nas');
    await expect(theirPage).toHaveURL(/\/signin/);
  } finally {
    await theirs.close();
  }
});

test('changing a user’s password on /users ends that user’s open session', async ({ adminPage: page, world, browser }) => {
  const user = await world.createUser({ role: 'operator' });
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  try {
    await world.signIn(theirPage, user);
    const listCall = () =>
      theirPage.request.get(`/api/trpc/nas.list?input=${encodeURIComponent(JSON.stringify({}))}`).then((r) => r.status());
    expect(await listCall()).toBe(200);
    expect(await listCall()).toBe(200); // now answered from the panel's actor cache

    await page.goto('/users');
    await page.getByRole('button', { name: `Edit ${user.email}` }).click();
    const dialog = page.getByTestId('user-form-dialog');
    await dialog.getByLabel('New password').fill('a-brand-new-password');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    await expect.poll(listCall, { timeout: 2000 }).toBe(401);
    await theirPage.goto('/nas');
    await expect(theirPage).toHaveURL(/\/signin/);
    await world.signIn(theirPage, { email: user.email, password: 'a-brand-new-password' });
    expect(await listCall()).toBe(200);
  } finally {
    await theirs.close();
  }
});
