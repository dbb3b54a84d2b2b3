import { startRouter, type SimRouter } from '../tools/routeros-sim';
import { expect, test, type World } from './fixtures';

// Hosts 127.0.132.x belong to this file.

/** A simulated MikroTik with one subscriber online, its NAS row, and that subscriber's open session. */
async function arrange(world: World, n: number) {
  const host = `127.0.132.${n}`;
  const router = await startRouter({
    host,
    apiPort: 0,
    username: 'panel',
    password: 'api-pass',
    pppActive: [{ name: 'torch-alice', address: '10.77.0.2' }],
  });
  const nas = await world.createNas({ ip: host, apiUsername: 'panel', apiPassword: 'api-pass', apiPort: router.apiPort });
  const [session] =
    await world.sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime, acctupdatetime)
    values (${world.unique('s')}, ${world.unique('u')}, 'torch-alice', ${host}::inet, '10.77.0.2'::inet, now(), now()) returning radacctid`;
  return { router, nas, sessionId: Number(session.radacctid) };
}

const cancels = (router: SimRouter) => router.commandLog.filter((c) => c === '/cancel').length;

test("a session's torch shows its flows live; leaving the page cancels it on the router", async ({ adminPage: page, world }) => {
  const { router, sessionId } = await arrange(world, 1);
  try {
    await page.goto(`/sessions/${sessionId}/torch`);
    const view = page.getByTestId('torch-view');
    await expect(view).toHaveAttribute('data-state', 'running');
    await expect(page.getByTestId('torch-state')).toContainText('<pppoe-torch-alice>');
    // Flows of the subscriber's address, in human units.
    await expect(page.getByTestId('torch-flow').first()).toContainText('10.77.0.2:');
    await expect(page.getByTestId('torch-flow').first()).toContainText(/\d bit\/s|kbit\/s|Mbit\/s/);
    // Rates move with every refresh, and the chart gathers the refreshes.
    const first = await page.getByTestId('torch-total-tx').textContent();
    await expect(page.getByTestId('torch-total-tx')).not.toHaveText(first ?? '', { timeout: 5000 });
    await expect(page.getByTestId('torch-chart-plot')).toHaveAttribute('data-points', /^([3-9]|\d\d+)$/, { timeout: 5000 });
    expect(router.commandLog).toContain('/tool/torch');
    expect(cancels(router)).toBe(0);

    // Leaving the page closes the stream: the panel cancels the torch and closes its router connection.
    await page.goto('/nas');
    await expect.poll(() => cancels(router), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => router.openConnections, { timeout: 10_000 }).toBe(0);
  } finally {
    await router.stop();
  }
});

test('from the NAS page, a torch of one interface; Stop ends it, a second viewer is told who runs one', async ({
  adminPage: page,
  world,
  browser,
}) => {
  const { router, nas } = await arrange(world, 2);
  try {
    await page.goto(`/nas/${nas.id}`);
    const entry = page.getByTestId('nas-section-torch');
    await entry.getByLabel('Interface').fill('ether1');
    await entry.getByTestId('nas-torch-start').click();
    await expect(page).toHaveURL(new RegExp(`/nas/${nas.id}/torch\\?interface=ether1`));
    await expect(page.getByTestId('torch-view')).toHaveAttribute('data-state', 'running');
    await expect(page.getByTestId('torch-flow').first()).toContainText('10.77.0.2:');

    // Another admin on the same router meanwhile: refused, with the name of who runs it.
    const other = await world.createUser({ role: 'admin' });
    const context = await browser.newContext();
    try {
      const second = await context.newPage();
      await world.signIn(second, other);
      await second.goto(`/nas/${nas.id}/torch?interface=ether2`);
      await expect(second.getByTestId('torch-view')).toHaveAttribute('data-state', 'stopped');
      await expect(second.getByTestId('torch-stop-reason')).toHaveText(
        /^a torch is already running on .+ \(by .+\): only one runs per router at a time$/,
      );
    } finally {
      await context.close();
    }

    await page.getByTestId('torch-stop').click();
    await expect(page.getByTestId('torch-stop-reason')).toHaveText('Stopped by you.');
    await expect.poll(() => cancels(router), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => router.openConnections, { timeout: 10_000 }).toBe(0);
  } finally {
    await router.stop();
  }
});
