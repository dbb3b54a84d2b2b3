import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { expect, test } from './fixtures';

const SECRET = 'e2e-router-secret';

/** A simulated MikroTik configured the way the spec's workflow tells an operator to set one up. */
async function healthyRouter(host: string): Promise<SimRouter> {
  return startRouter({
    host,
    apiPort: 8728,
    username: 'panel',
    password: 'api-pass',
    identity: 'e2e-core',
    version: '7.15.2 (stable)',
    pools: [{ name: 'pppoe-e2e', ranges: '100.64.0.1-100.64.0.20' }],
    pppActive: [{ name: 'alice', address: '100.64.0.5' }],
    radius: [{ service: 'ppp', address: '127.0.0.1', secret: SECRET }],
    radiusIncoming: { accept: true, port: 1700 },
    coa: { port: 1700, secret: SECRET },
  });
}

test('add a router, test it green, see its pools arrive, change them, sync', async ({ adminPage: page, world }) => {
  const host = `127.0.81.${Math.floor(Math.random() * 250) + 1}`;
  const router = await healthyRouter(host);
  try {
    const name = world.unique('Sim');
    await page.goto('/nas');
    await page.getByTestId('nas-add-button').click();
    const dialog = page.getByTestId('nas-form-dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('IP Address').fill(host);
    await dialog.getByLabel('Secret', { exact: true }).fill(SECRET);
    await dialog.getByLabel('API Username').fill('panel');
    await dialog.getByLabel('API Password').fill('api-pass');

    // The spec's workflow: Test Connection on the values typed so far, before saving.
    await dialog.getByTestId('nas-form-test-connection').click();
    const test = page.getByTestId('test-connection-dialog');
    for (const check of ['radius', 'api', 'coa']) {
      await expect(test.getByTestId(`check-${check}`)).toHaveAttribute('data-status', 'ok');
    }
    await expect(test.getByTestId('check-api-summary')).toHaveText('logged in to RouterOS 7.15.2 (stable) (e2e-core)');
    await expect(test.getByTestId('test-connection-verdict')).toHaveText('ready: all checks green');
    await test.getByRole('button', { name: 'Close' }).click();

    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await page.getByTestId('nas-search').fill(name);
    const row = page.locator(`tr[data-nas-name="${name}"]`);
    // The import runs in the background; the row follows it without a reload.
    await expect(row.getByTestId('pool-import-state')).toHaveAttribute('data-state', 'done');

    await row.getByRole('link', { name, exact: true }).click();
    const pool = page.getByTestId('pool-pppoe-e2e');
    await expect(pool.getByTestId('pool-total')).toHaveText('20');
    await expect(pool.getByTestId('pool-in-use')).toHaveText('1');

    // The operator changes the router's pools, then presses Sync.
    router.setPools([
      { name: 'pppoe-e2e', ranges: '100.64.0.1-100.64.0.10' },
      { name: 'pppoe-new', ranges: '100.65.0.0/29' },
    ]);
    router.setPppActive([
      { name: 'alice', address: '100.64.0.5' },
      { name: 'bob', address: '100.65.0.3' },
    ]);
    await page.getByTestId('nas-sync-pools').click();
    await expect(pool.getByTestId('pool-total')).toHaveText('10');
    await expect(page.getByTestId('pool-pppoe-new').getByTestId('pool-total')).toHaveText('8');
    await expect(page.getByTestId('pool-pppoe-new').getByTestId('pool-in-use')).toHaveText('1');
  } finally {
    await router.stop();
  }
});

test('a black-hole router shows its failures within the deadline', async ({ adminPage: page, world }) => {
  const host = `127.0.82.${Math.floor(Math.random() * 250) + 1}`;
  const hole = await startRouter({ host, apiPort: 8728, username: 'panel', password: 'api-pass', fault: 'silent' });
  try {
    const nas = await world.createNas({ ip: host, apiUsername: 'panel', apiPassword: 'api-pass' });
    await page.goto('/nas');
    await page.getByTestId('nas-search').fill(nas.name);
    const started = Date.now();
    await page.getByRole('button', { name: `Test connection to ${nas.name}` }).click();
    const test = page.getByTestId('test-connection-dialog');
    await expect(test.getByTestId('check-api')).toHaveAttribute('data-status', 'failed', { timeout: 6000 });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(test.getByTestId('check-api-summary')).toContainText('no answer');
    // Nothing listens on its RADIUS or CoA ports: reported as closed, never as green.
    await expect(test.getByTestId('check-radius')).toHaveAttribute('data-status', 'failed');
    await expect(test.getByTestId('check-coa')).toHaveAttribute('data-status', 'failed');
    await expect(test.getByTestId('test-connection-verdict')).toHaveText('not ready');
  } finally {
    await hole.stop();
  }
});

test('Diagnostic Tools pings through the chosen router', async ({ adminPage: page, world }) => {
  const host = `127.0.83.${Math.floor(Math.random() * 250) + 1}`;
  const router = await startRouter({ host, apiPort: 8728, username: 'panel', password: 'api-pass' });
  try {
    const nas = await world.createNas({ ip: host, apiUsername: 'panel', apiPassword: 'api-pass' });
    await page.goto(`/diagnostics?nas_id=${nas.id}`);
    const tool = page.getByTestId('router-tool');
    await tool.getByLabel('Address').fill('198.51.100.7');
    await tool.getByLabel('Count').fill('2');
    await tool.getByTestId('router-tool-run').click();
    await expect(tool.getByTestId('router-tool-summary')).toContainText('2 sent, 2 received, 0% loss');
    await tool.getByLabel('Address').fill('not an address!');
    await tool.getByTestId('router-tool-run').click();
    await expect(tool.getByText('Address must be an IP address or a host name')).toBeVisible();
  } finally {
    await router.stop();
  }
});
