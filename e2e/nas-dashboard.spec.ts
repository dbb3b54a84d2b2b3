import { startRouter } from '../tools/routeros-sim';
import { expect, test } from './fixtures';

test('the NAS detail page shows its dashboard: sessions over time and now, pool usage, RADIUS counters', async ({
  adminPage: page,
  world,
}) => {
  const nas = await world.createNas({});
  await world.openSessions(nas.ip, 3);
  // Samples as the sampler writes them (every 5 minutes), the RADIUS service's hourly counters, an imported pool.
  await world.sql`insert into nas_session_samples (nas_id, at, open)
    select ${nas.id}, date_trunc('hour', now()) - g * interval '5 minutes', 1 + g % 3 from generate_series(1, 36) g`;
  await world.sql`insert into nas_radius_stats (nas_id, hour, requests, accepts, rejects, accounting, secret_mismatches)
    values (${nas.id}, date_trunc('hour', now()) - interval '1 hour', 12, 9, 3, 40, 2)`;
  await world.sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address, status)
    select ${nas.id}, 'pppoe-dash', ('100.66.0.' || g)::inet, case when g <= 3 then 'in_use' else 'available' end from generate_series(1, 10) g`;

  await page.goto(`/nas/${nas.id}`);
  const dash = page.getByTestId('nas-dashboard');
  const current = dash.getByTestId('dashboard-current-sessions');
  await expect(current).toHaveText('3');
  await expect(current).toHaveAttribute('href', `/sessions?nas_id=${nas.id}`);
  // Each chart is drawn (recharts' SVG), not an empty state.
  for (const chart of ['dashboard-sessions', 'dashboard-pools', 'dashboard-radius']) {
    await expect(dash.getByTestId(chart).locator('svg.recharts-surface').first()).toBeVisible();
  }
  await expect(dash.getByTestId('dashboard-sessions-partial')).toContainText('Sampling started at');
  await expect(dash.getByTestId('dashboard-pools-list')).toContainText('pppoe-dash: 3 / 10 in use');
  await expect(dash.getByTestId('dashboard-radius-totals')).toContainText(
    '12 requests, 9 accepts, 3 rejects, 40 accounting, 2 secret mismatches',
  );

  // A NAS nobody has seen says why each chart is empty.
  const quiet = await world.createNas({});
  await page.goto(`/nas/${quiet.id}`);
  await expect(page.getByTestId('dashboard-sessions-empty')).toContainText('No sessions on this NAS');
  await expect(page.getByTestId('dashboard-pools-empty')).toContainText('No pools imported');
  await expect(page.getByTestId('dashboard-radius-empty')).toContainText('The RADIUS service has not seen this NAS');
});

test('Diagnostic Tools looks a name up through a simulated router, beside the panel', async ({ adminPage: page, world }) => {
  const host = `127.0.84.${Math.floor(Math.random() * 250) + 1}`;
  const router = await startRouter({ host, apiPort: 8728, username: 'panel', password: 'api-pass', version: '7.18.2 (stable)' });
  try {
    const nas = await world.createNas({ ip: host, apiUsername: 'panel', apiPassword: 'api-pass' });
    await page.goto(`/diagnostics?nas_id=${nas.id}`);
    const tool = page.getByTestId('nslookup-tool');
    await tool.getByLabel('Name').fill('portal.example.net');
    await tool.getByTestId('nslookup-run').click();
    const viaRouter = tool.getByTestId('nslookup-router');
    await expect(viaRouter).toHaveAttribute('data-status', 'answer', { timeout: 15_000 });
    await expect(viaRouter).toContainText('/tool/dns-lookup');
    await expect(viaRouter).toContainText('203.0.113.80');
    await expect(viaRouter).toContainText('2001:db8::80');
    // The panel's side ran too (its answer depends on this machine's resolvers).
    await expect(tool.getByTestId('nslookup-panel')).toContainText('node:dns');

    await tool.getByLabel('Name').fill('nothing.example.net');
    await tool.getByTestId('nslookup-run').click();
    await expect(viaRouter).toHaveAttribute('data-status', 'nxdomain', { timeout: 15_000 });

    await tool.getByLabel('Name').fill('not a name!');
    await tool.getByTestId('nslookup-run').click();
    await expect(tool.getByText('Name must be a host name such as example.com')).toBeVisible();
  } finally {
    await router.stop();
  }
});
