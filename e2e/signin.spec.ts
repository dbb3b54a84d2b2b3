import { TEST_ENV } from '../src/test/test-env';
import { expect, test } from './fixtures';

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
