import { TEST_ENV } from '../src/test/test-env';
import { expect, test, type World } from './fixtures';
import type { Browser, Page } from '@playwright/test';

const listCall = (page: Page) =>
  page.request.get(`/api/trpc/nas.list?input=${encodeURIComponent(JSON.stringify({}))}`).then((r) => r.status());

async function tryPassword(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled(); // the form has taken the answer in
}

test('an anonymous visitor is sent to sign-in and comes back after it', async ({ page }) => {
  await page.goto('/nas');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fnas/);
  await page.getByLabel('Email').fill(TEST_ENV.ADMIN_EMAIL);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Sign-in failed: check your email and password.')).toBeVisible();
  await page.getByLabel('Password').fill(TEST_ENV.ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/nas$/);
  await expect(page.getByTestId('current-user')).toHaveText(TEST_ENV.ADMIN_EMAIL);
});

test('sign out ends the session', async ({ adminPage: page }) => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/nas');
  await expect(page).toHaveURL(/\/signin/);
});

async function signedInElsewhere(browser: Browser, world: World, user: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await world.signIn(page, user);
  return { context, page };
}

test('a session cookie copied before sign-out is refused afterwards, by the API and by pages', async ({ browser, world }) => {
  const user = await world.createUser({ role: 'operator' });
  const mine = await signedInElsewhere(browser, world, user);
  const thief = await browser.newContext();
  try {
    await thief.addCookies(await mine.context.cookies());
    const thiefPage = await thief.newPage();
    expect(await listCall(thiefPage)).toBe(200);

    await mine.page.goto('/nas');
    await mine.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(mine.page).toHaveURL(/\/signin/);

    expect(await listCall(thiefPage)).toBe(401);
    await thiefPage.goto('/nas');
    await expect(thiefPage).toHaveURL(/\/signin\?callbackUrl=%2Fnas/);
  } finally {
    await thief.close();
    await mine.context.close();
  }
});

test('after 5 failed sign-ins the form says to wait, the same for an existing and an unknown e-mail', async ({ page, world }) => {
  const user = await world.createUser({ role: 'operator' });
  const unknown = `${world.unique('nobody')}@e2e.local`;
  const said: Record<string, string[]> = {};
  for (const email of [user.email, unknown]) {
    await page.goto('/signin');
    said[email] = [];
    for (let i = 0; i < 5; i++) {
      await tryPassword(page, email, 'not-the-password');
      said[email].push((await page.locator('form [role=alert]').textContent()) ?? '');
    }
    await tryPassword(page, email, user.password); // the right password of the existing account: still refused
    said[email].push((await page.locator('form [role=alert]').textContent()) ?? '');
  }
  const failed = 'Sign-in failed: check your email and password.';
  const wait = 'Too many failed sign-ins: try again in 1 minute.';
  expect(said[user.email]).toEqual([failed, failed, failed, failed, wait, wait]);
  expect(said[unknown]).toEqual(said[user.email]);
  await expect(page).toHaveURL(/\/signin/);
});

test('callbackUrl leads only to a path of this panel', async ({ page }) => {
  for (const [callbackUrl, landing] of [
    ['/\\evil.example', /\/nas$/],
    ['//evil.example', /\/nas$/],
    ['/users', /\/users$/],
  ] as const) {
    await page.context().clearCookies();
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel('Email').fill(TEST_ENV.ADMIN_EMAIL);
    await page.getByLabel('Password').fill(TEST_ENV.ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(landing);
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  }
});

test('a session records the connection’s address; X-Forwarded-For is ignored without TRUST_PROXY', async ({ browser, world }) => {
  const user = await world.createUser({ role: 'operator' });
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.77' } });
  try {
    await world.signIn(await context.newPage(), user);
    const rows = await world.sql`select client_address from user_sessions where user_id = ${user.id}`;
    expect(rows.map((r) => r.client_address)).toEqual(['127.0.0.1']);
  } finally {
    await context.close();
  }
});
