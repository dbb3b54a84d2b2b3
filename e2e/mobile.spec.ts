import type { Page } from '@playwright/test';
import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { encryptSecret } from '../src/server/crypto/secret-box';
import { subscriberPasswordBinding } from '../src/server/radius-service/subscribers';
import { expect, test, type World } from './fixtures';

/**
 * The panel on a phone (390 px), a tablet (768 px) and a desktop (1280 px): no page scrolls sideways, the
 * buttons and links a thumb uses are at least 40 px, and the field work the panel is opened for at a tower
 * (add a NAS, test it, sync it, ping through it; add a subscriber; disconnect a session) is done at 390 px.
 */
const WIDTHS = [390, 768, 1280] as const;
const PHONE = { width: 390, height: 844 };
const AUTH_PORT = Number(process.env.RADIUS_AUTH_PORT ?? 18127);
const ACCT_PORT = Number(process.env.RADIUS_ACCT_PORT ?? 18137);
const SECRET = 'e2e-secret'; // what world.createNas seals for every NAS it creates
const randomHost = (third: number) => `127.0.${third}.${Math.floor(Math.random() * 250) + 1}`;

interface Visit {
  path: string;
  /** What is on screen once the page has its data, so the width is measured on the real content. */
  ready: string;
}

/** A reseller with one NAS (long names, the widest text a card must hold), a plan, a subscriber and an open session. */
async function arrange(world: World) {
  const reseller = await world.createReseller(world.unique('Reseller with a rather long company name'));
  const resellerUser = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  const nas = await world.createNas({ name: world.unique('tower-north-ridge-core-router-01'), resellerId: reseller.id });
  const [plan] = await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${world.unique('Home 50')}, 50000, 10000)
    returning id`;
  await world.sql`insert into plan_resellers (plan_id, reseller_id) values (${plan.id}, ${reseller.id})`;
  const username = world.unique('cpe-with-a-long-username').toLowerCase();
  const [{ id: subscriberId }] = await world.sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`;
  await world.sql`insert into subscribers (id, username, reseller_id, nas_id, plan_id, password_enc)
    values (${subscriberId}, ${username}, ${reseller.id}, ${nas.id}, ${plan.id}, ${encryptSecret('pw-e2e-123', subscriberPasswordBinding(subscriberId))})`;
  const [session] = await world.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress,
      callingstationid, acctstarttime, acctupdatetime)
    values ('m0b1le01', ${world.unique('uid')}, ${username}, ${nas.ip}, '100.64.10.20', 'AA:BB:CC:DD:EE:FF', now() - interval '3 hours', now())
    returning radacctid`;
  const resellerPages: Visit[] = [
    { path: '/nas', ready: `nas-row-${nas.id}` },
    { path: `/nas/${nas.id}`, ready: 'nas-detail' },
    { path: `/nas/${nas.id}/torch?interface=ether1`, ready: 'torch-state' },
    { path: '/subscribers', ready: `subscriber-row-${subscriberId}` },
    { path: `/subscribers/${subscriberId}`, ready: 'subscriber-detail' },
    { path: '/sessions', ready: `session-row-${session.radacctid}` },
    { path: `/sessions/${session.radacctid}/torch`, ready: 'torch-state' },
    { path: `/diagnostics?nas_id=${nas.id}`, ready: 'diagnostics-nas-summary' },
  ];
  const adminPages: Visit[] = [
    ...resellerPages,
    { path: '/plans', ready: `plan-row-${plan.id}` },
    { path: '/resellers', ready: `reseller-row-${reseller.id}` },
    { path: `/resellers/${reseller.id}`, ready: 'reseller-detail' },
    { path: '/users', ready: `user-row-${resellerUser.id}` },
  ];
  return { reseller, resellerUser, nas, adminPages, resellerPages };
}

async function visit(page: Page, v: Visit) {
  await page.goto(v.path);
  await expect(page.getByTestId(v.ready).first()).toBeVisible();
  await expect(page.locator('main').getByText('Loading…', { exact: true })).toHaveCount(0);
}

/** The page's widths, and (to act on a failure) the innermost elements that reach past the right edge. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const { scrollWidth, clientWidth } = document.documentElement;
    const past = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > clientWidth + 0.5);
    const innermost = past.filter((el) => !past.some((o) => o !== el && el.contains(o)));
    // Content spilling out of a box that does not clip it also widens the page, with the box itself in bounds.
    const spilling = [...document.querySelectorAll<HTMLElement>('body, body *')].filter(
      (el) => el.scrollWidth > clientWidth + 0.5 && getComputedStyle(el).overflowX === 'visible',
    );
    const culprits = [...innermost, ...spilling.slice(-3)]
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className)}#${el.getAttribute('data-testid') ?? ''}`.slice(0, 140));
    return { scrollWidth, clientWidth, culprits };
  });
}

async function expectNoSidewaysScroll(page: Page, what: string, soft = false) {
  // Charts size themselves after a ResizeObserver tick: the page is measured once its layout has settled.
  let last = await sidewaysOverflow(page);
  for (let i = 0; i < 10 && last.scrollWidth > last.clientWidth; i++) {
    await page.waitForTimeout(200);
    last = await sidewaysOverflow(page);
  }
  const { scrollWidth, clientWidth, culprits } = last;
  (soft ? expect.soft : expect)(scrollWidth, `${what} scrolls sideways; past the edge: ${culprits.join(' | ')}`).toBeLessThanOrEqual(
    clientWidth,
  );
}

/**
 * Visible buttons, links and checkboxes (with their label) smaller than 40 × 40 px. A link inside a sentence
 * is exempt (WCAG 2.5.8's inline exception): its size is the text's.
 */
async function smallTargets(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, [role="button"], summary')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      if (el.tagName === 'A' && el.closest('p') && (el.closest('p')!.textContent ?? '').trim() !== (el.textContent ?? '').trim()) continue;
      if (r.width < 40 || r.height < 40) {
        const name = el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 40) || el.outerHTML.slice(0, 80);
        found.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    // A checkbox is touched through its label when it has one: that is the target to measure.
    for (const box of document.querySelectorAll<HTMLInputElement>('input[type="checkbox"], input[type="radio"]')) {
      const target = box.closest('label') ?? box;
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(box).visibility === 'hidden') continue;
      if (r.width < 40 || r.height < 40)
        found.push(`${box.type} "${box.getAttribute('aria-label') ?? box.name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return found;
  });
}

for (const role of ['admin', 'reseller'] as const) {
  test(`as ${role}: no page scrolls sideways at ${WIDTHS.join(', ')} px; touch targets are 40 px at 390 px`, async ({
    page,
    adminPage,
    world,
  }) => {
    test.setTimeout(240_000);
    const { resellerUser, adminPages, resellerPages } = await arrange(world);
    if (role === 'reseller') {
      await page.context().clearCookies();
      await world.signIn(page, resellerUser);
    }
    void adminPage;
    const pages = role === 'admin' ? adminPages : resellerPages;
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1024 });
      for (const v of pages) {
        await visit(page, v);
        // Soft: one run lists every page's problem, not only the first.
        await expectNoSidewaysScroll(page, `${v.path} at ${width} px`, true);
        if (width === 390) expect.soft(await smallTargets(page), `${v.path}: touch targets under 40 px`).toEqual([]);
      }
    }
  });
}

test('at 390 px the sidebar is a menu: its sheet has the links, the signed-in user and Sign out', async ({ adminPage: page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/nas');
  const sidebarLink = page.getByRole('link', { name: 'Subscribers' });
  await expect(sidebarLink).toBeHidden();
  await page.getByRole('button', { name: 'Open menu' }).click();
  const sheet = page.getByRole('dialog', { name: 'NAS Panel' });
  await expect(sheet.getByRole('link', { name: 'NAS / Routers' })).toHaveAttribute('aria-current', 'page');
  await expect(sheet.getByTestId('current-user')).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(await smallTargets(page)).toEqual([]);
  await sheet.getByRole('link', { name: 'Subscribers' }).click();
  await expect(page).toHaveURL(/\/subscribers$/);
  await expect(sheet).toBeHidden();
  // Sign out from the sheet.
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('dialog', { name: 'NAS Panel' }).getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin/);

  // From md up there is no menu button: the sidebar is on screen.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Open menu' })).toHaveCount(0);
});

test('at 390 px an admin adds a NAS, tests it, syncs its pools and pings through it', async ({ adminPage: page, world }) => {
  test.setTimeout(120_000);
  const host = randomHost(101);
  const router: SimRouter = await startRouter({
    host,
    apiPort: 8728,
    username: 'panel',
    password: 'api-pass',
    identity: 'e2e-mobile',
    version: '7.15.2 (stable)',
    pools: [{ name: 'pppoe-mobile', ranges: '100.66.0.1-100.66.0.20' }],
  });
  try {
    await page.setViewportSize(PHONE);
    const name = world.unique('Tower');
    await page.goto('/nas');
    await page.getByTestId('nas-add-button').click();

    // The dialog is the screen, Save pinned to its bottom edge without scrolling.
    const dialog = page.getByTestId('nas-form-dialog');
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBe(PHONE.width);
    expect(box.height).toBe(PHONE.height);
    const save = dialog.getByRole('button', { name: 'Save' });
    const saveBox = (await save.boundingBox())!;
    expect(saveBox.y + saveBox.height).toBeLessThanOrEqual(PHONE.height);
    expect(saveBox.y + saveBox.height).toBeGreaterThan(PHONE.height - 80);
    expect(saveBox.height).toBeGreaterThanOrEqual(40);
    await expectNoSidewaysScroll(page, page.url());

    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('IP Address').fill(host);
    await dialog.getByLabel('Secret', { exact: true }).fill('s3cret');
    await dialog.getByLabel('API Username').fill('panel');
    await dialog.getByLabel('API Password', { exact: true }).fill('api-pass');
    await save.click();
    await expect(dialog).toBeHidden();

    await page.getByTestId('nas-search').fill(name);
    const card = page.locator(`tr[data-nas-name="${name}"]`);
    await expect(card.getByTestId('pool-import-state')).toHaveAttribute('data-state', 'done');
    // A card, not a cut-off table row: the first column, the last ones and the actions all within the screen's width.
    for (const part of [
      card.getByRole('link', { name, exact: true }),
      card.getByTestId('status-badge'),
      card.getByTestId('api-badge'),
      card.getByRole('button', { name: `Actions for ${name}` }),
    ]) {
      const box = (await part.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }

    // The row's actions are one menu, each labelled with the NAS's name.
    const actions = card.getByRole('button', { name: `Actions for ${name}` });
    await expect(card.getByRole('button', { name: `Test connection to ${name}` })).toBeHidden();
    await actions.click();
    await page
      .getByRole('dialog', { name })
      .getByRole('button', { name: `Test connection to ${name}` })
      .click();
    const test = page.getByTestId('test-connection-dialog');
    await expect(test.getByTestId('check-api')).toHaveAttribute('data-status', 'ok');
    await expect(test.getByTestId('check-api-summary')).toHaveText('logged in to RouterOS 7.15.2 (stable) (e2e-mobile)');
    await test.getByRole('button', { name: 'Close' }).first().click();
    await expect(test).toBeHidden();

    // Sync pools from the same menu: the router's pool changed, the detail page shows the new size.
    router.setPools([{ name: 'pppoe-mobile', ranges: '100.66.0.1-100.66.0.10' }]);
    await actions.click();
    await page
      .getByRole('dialog', { name })
      .getByRole('button', { name: `Sync pools of ${name}` })
      .click();
    await expect(page.getByRole('dialog', { name })).toBeHidden();
    await card.getByRole('link', { name, exact: true }).click();
    await expect(page.getByTestId('pool-pppoe-mobile').getByTestId('pool-total')).toHaveText('10');
    await expectNoSidewaysScroll(page, page.url());

    // Ping through it from Diagnostic Tools.
    await page.getByTestId('nas-diagnostics-link').click();
    const tool = page.getByTestId('router-tool');
    await tool.getByLabel('Address').fill('198.51.100.7');
    await tool.getByLabel('Count').fill('2');
    await tool.getByTestId('router-tool-run').click();
    await expect(tool.getByTestId('router-tool-summary')).toContainText('2 sent, 2 received, 0% loss');
    await expectNoSidewaysScroll(page, page.url());
    expect(await smallTargets(page)).toEqual([]);
  } finally {
    await router.stop();
  }
});

test('at 390 px a reseller adds a subscriber', async ({ page, world }) => {
  const { resellerUser, nas } = await arrange(world);
  const [plan] = await world.sql`select p.id, p.name from plans p join plan_resellers pr on pr.plan_id = p.id
    join users u on u.reseller_id = pr.reseller_id where u.id = ${resellerUser.id}`;
  await page.setViewportSize(PHONE);
  await world.signIn(page, resellerUser);
  await page.goto('/subscribers');
  await page.getByTestId('subscriber-add-button').click();
  const dialog = page.getByTestId('subscriber-form-dialog');
  expect((await dialog.boundingBox())!.width).toBe(PHONE.width);
  const username = world.unique('phone-cpe').toLowerCase();
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByTestId('subscriber-generate-password').click();
  await dialog.getByLabel('Plan').selectOption(String(plan.id));
  await dialog.getByLabel('NAS', { exact: true }).selectOption(String(nas.id));
  const save = dialog.getByTestId('subscriber-form-save');
  const saveBox = (await save.boundingBox())!;
  expect(saveBox.y + saveBox.height).toBeLessThanOrEqual(PHONE.height);
  await save.click();
  await expect(dialog.getByTestId('generated-password')).toBeVisible();
  await dialog.getByTestId('generated-password-done').click();
  await expect(dialog).toBeHidden();
  await page.getByTestId('subscriber-search').fill(username);
  const card = page.locator(`tr[data-username="${username}"]`);
  await expect(card.getByTestId('subscriber-plan')).toHaveText(plan.name);
  await expect(card.getByTestId('subscriber-plan')).toBeInViewport();
});

test('at 390 px a reseller disconnects a session through the router', async ({ page, world }) => {
  test.setTimeout(90_000);
  const host = randomHost(102);
  const coaPort = 23000 + Math.floor(Math.random() * 2000);
  const reseller = await world.createReseller();
  const user = await world.createUser({ role: 'reseller', resellerId: reseller.id });
  const nas = await world.createNas({ ip: host, resellerId: reseller.id });
  await world.sql`update nas_devices set coa_port = ${coaPort} where id = ${nas.id}`;
  const username = world.unique('cpe').toLowerCase();
  const password = 'cpe-password-e2e';
  const [{ id: subscriberId }] = await world.sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id`;
  const [plan] = await world.sql`insert into plans (name, download_kbps, upload_kbps) values (${world.unique('Home 20')}, 20000, 5000)
    returning id`;
  await world.sql`insert into subscribers (id, username, reseller_id, nas_id, plan_id, password_enc)
    values (${subscriberId}, ${username}, ${reseller.id}, ${nas.id}, ${plan.id},
            ${encryptSecret(password, subscriberPasswordBinding(subscriberId))})`;
  const router = await startRouter({
    host,
    apiPort: 0,
    username: 'panel',
    password: 'api-pass',
    identity: 'e2e-mobile-sessions',
    // 7.15 and later sign their Access-Requests (Message-Authenticator), which a new NAS requires.
    version: '7.18.2 (stable)',
    pools: [{ name: 'pppoe-e2e', ranges: '100.75.0.10-100.75.0.20' }],
    coa: { port: coaPort, secret: SECRET },
    radiusClient: {
      server: '127.0.0.1',
      authPort: AUTH_PORT,
      acctPort: ACCT_PORT,
      secret: SECRET,
      subscribers: [{ name: username, password, method: 'pap' }],
      timeoutMs: 1000,
      // The first Access-Request may beat the RADIUS service's reload of the new NAS: dial again, as a CPE does.
      redialSeconds: 3,
    },
  });
  try {
    await expect.poll(() => router.getPppActive().map((s) => s.name), { timeout: 15_000 }).toEqual([username]);
    await page.setViewportSize(PHONE);
    await world.signIn(page, user);
    await page.goto('/sessions');
    const row = page.locator(`tr[data-username="${username}"]`);
    await expect(async () => {
      await page.reload();
      await expect(row).toHaveCount(1, { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    const sessionId = Number((await row.getAttribute('data-testid'))!.replace('session-row-', ''));
    // The row is a card; its actions are one menu, Disconnect named with the session's user.
    await expect(row.getByTestId('session-disconnect-button')).toBeHidden();
    await row.getByRole('button', { name: `Actions for ${username}` }).click();
    await page
      .getByRole('dialog', { name: username })
      .getByRole('button', { name: `Disconnect ${username}` })
      .click();
    const message = page.getByTestId('session-action-message');
    await expect(message).toContainText(username);
    await expect(message).toHaveAttribute('data-ok', 'true');
    // The router ended it: its Stop closed the row (a redial afterwards is a new session, a new row).
    await expect
      .poll(async () => (await world.sql`select acctterminatecause from radacct where radacctid = ${sessionId}`)[0]?.acctterminatecause, {
        timeout: 20_000,
      })
      .toBe('Admin-Reset');
    await expectNoSidewaysScroll(page, page.url());
  } finally {
    await router.stop();
  }
});
