import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import postgres from 'postgres';
import globalSetup from '../e2e/global-setup';
import { sealNasSecrets } from '../src/server/services/nas/nas-secrets';
import { TEST_ENV } from '../src/test/test-env';

/**
 * `npm run screenshots`: the NAS page at a phone's, a tablet's and a desktop's width, for the README. The panel
 * is started as the e2e setup starts it (its own embedded PostgreSQL, then `npm start`), given a small fleet,
 * and photographed by Chromium (/usr/bin/chromium, or CHROMIUM_PATH). Writes docs/screenshots/nas-<width>.png.
 */
const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'docs/screenshots');
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
];

// Ports of its own, so a Playwright run on the defaults is not disturbed; no background jobs (a heartbeat
// would mark the made-up routers offline).
process.env.E2E_PORT ??= '3219';
process.env.E2E_RADIUS_AUTH_PORT ??= '18129';
process.env.E2E_RADIUS_ACCT_PORT ??= '18139';
process.env.E2E_JOBS_ENABLED ??= 'false';

const FLEET = [
  { name: 'core-bng-01', ip: '10.20.0.1', version: '7.18.2 (stable)', online: true, sessions: 412 },
  { name: 'tower-north-ridge', ip: '10.20.1.1', version: '7.15.3 (stable)', online: true, sessions: 87 },
  { name: 'tower-south-valley', ip: '10.20.2.1', version: '7.16.1 (stable)', online: true, sessions: 64 },
  { name: 'hotspot-market-square', ip: '10.20.3.1', version: '6.49.17 (long-term)', online: false, sessions: 0 },
  { name: 'fiber-olt-gateway', ip: '10.20.4.1', version: '', online: true, sessions: 23, type: 'generic' as const },
];

async function seed(sql: postgres.Sql) {
  for (const n of FLEET) {
    // The id first: a secret's ciphertext is bound to its row (src/server/crypto/secret-box.ts).
    const [{ id }] = await sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`;
    const sealed = sealNasSecrets(id, { secret: 'screenshot-secret', apiPassword: n.type === 'generic' ? '' : 'api-pass' });
    await sql`insert into nas_devices (id, name, ip_address, type, secret_enc, api_username, api_password_enc, is_online, last_seen, version)
      values (${id}, ${n.name}, ${n.ip}, ${n.type ?? 'mikrotik'}, ${sealed.secretEnc!}, ${n.type === 'generic' ? '' : 'panel'},
              ${sealed.apiPasswordEnc!}, ${n.online}, ${n.online ? sql`now() - interval '40 seconds'` : sql`now() - interval '3 hours'`}, ${n.version})`;
    if (n.sessions > 0) {
      await sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
        select 's' || g, ${n.name} || '-' || g, 'user' || g, ${n.ip}::inet, now() - interval '2 hours', now()
        from generate_series(1, ${n.sessions}) g`;
    }
  }
}

async function main() {
  const teardown = await globalSetup();
  const sql = postgres(process.env.DATABASE_URL!, { onnotice: () => {}, max: 2 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    await seed(sql);
    fs.mkdirSync(outDir, { recursive: true });
    const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({ baseURL, viewport });
      const page = await context.newPage();
      await page.goto('/signin');
      await page.getByLabel('Email').fill(TEST_ENV.ADMIN_EMAIL);
      await page.getByLabel('Password').fill(TEST_ENV.ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
      await page.goto('/nas');
      await page.locator('tr[data-nas-name]').first().waitFor();
      // Relative times read "1 min ago" once hydrated: wait for that, not the server's absolute time.
      await page
        .getByText('just now')
        .or(page.getByText(/min ago/))
        .first()
        .waitFor();
      const file = path.join(outDir, `nas-${viewport.width}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${path.relative(root, file)}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await sql.end();
    await teardown();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
