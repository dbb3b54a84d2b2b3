import { test as base, expect, type Page } from '@playwright/test';
import { hashSync } from '@node-rs/bcrypt';
import postgres from 'postgres';
import { sealNasSecrets } from '../src/server/services/nas/nas-secrets';
import { TEST_ENV } from '../src/test/test-env';

/**
 * Arrange data straight in the panel's database (the same PostgreSQL the running panel uses), then act
 * through the browser. Every name is suffixed so tests never collide with each other or with reruns.
 */
export interface World {
  sql: postgres.Sql;
  unique(prefix: string): string;
  createUser(opts: {
    role: 'admin' | 'operator' | 'reseller';
    resellerId?: number | null;
  }): Promise<{ email: string; password: string; id: number }>;
  createReseller(name?: string): Promise<{ id: number; name: string }>;
  createNas(opts: {
    name?: string;
    ip?: string;
    type?: 'mikrotik' | 'generic';
    resellerId?: number;
    apiUsername?: string;
    apiPassword?: string;
    apiHost?: string;
    apiPort?: number;
  }): Promise<{ id: number; name: string; ip: string }>;
  openSessions(nasIp: string, count: number): Promise<void>;
  signIn(page: Page, user: { email: string; password: string }): Promise<void>;
}

let counter = 0;
let ipCounter = Math.floor(Math.random() * 200) * 250;

export const test = base.extend<{ world: World; adminPage: Page }>({
  world: async ({}, use) => {
    const sql = postgres(process.env.DATABASE_URL!, { onnotice: () => {}, max: 2 });
    const unique = (p: string) => `${p}-${Date.now().toString(36)}${(counter++).toString(36)}`;
    const world: World = {
      sql,
      unique,
      async createUser({ role, resellerId = null }) {
        const email = `${unique(role)}@e2e.local`;
        const password = 'e2e-password-123';
        const [row] = await sql`insert into users (email, name, password_hash, role_id, reseller_id)
          values (${email}, ${role}, ${hashSync(password, 4)}, (select id from roles where name = ${role}), ${resellerId}) returning id`;
        return { email, password, id: row.id };
      },
      async createReseller(name) {
        const n = name ?? unique('Reseller');
        const [row] = await sql`insert into resellers (name) values (${n}) returning id`;
        return { id: row.id, name: n };
      },
      async createNas({ name, ip, type = 'mikrotik', resellerId, apiUsername = '', apiPassword = '', apiHost = '', apiPort = 8728 }) {
        const n = name ?? unique('Router');
        ipCounter++;
        const addr = ip ?? `10.${200 + (Math.floor(ipCounter / 62500) % 50)}.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
        // The id first: a secret's ciphertext is bound to its row (src/server/crypto/secret-box.ts).
        const [{ id }] = await sql`select nextval(pg_get_serial_sequence('nas_devices', 'id'))::int as id`;
        const sealed = sealNasSecrets(id, { secret: 'e2e-secret', apiPassword });
        const [row] =
          await sql`insert into nas_devices (id, name, ip_address, type, secret_enc, api_username, api_password_enc, api_host, api_port)
          values (${id}, ${n}, ${addr}, ${type}, ${sealed.secretEnc!}, ${apiUsername}, ${sealed.apiPasswordEnc!}, ${apiHost}, ${apiPort}) returning id`;
        if (resellerId) await sql`insert into reseller_nas (reseller_id, nas_id) values (${resellerId}, ${row.id})`;
        return { id: row.id, name: n, ip: addr };
      },
      async openSessions(nasIp, count) {
        await sql`insert into radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime, acctupdatetime)
          select 's' || g, ${unique('u')} || '-' || g, 'user' || g, ${nasIp}::inet, now(), now() from generate_series(1, ${count}) g`;
      },
      async signIn(page, user) {
        await page.goto('/signin');
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
      },
    };
    await use(world);
    await sql.end();
  },
  adminPage: async ({ page, world }, use) => {
    await world.signIn(page, { email: TEST_ENV.ADMIN_EMAIL, password: TEST_ENV.ADMIN_PASSWORD });
    await use(page);
  },
});

export { expect };
