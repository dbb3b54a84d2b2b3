import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/auth/actor';
import { decryptSecret } from '@/server/crypto/secret-box';
import { db } from '@/server/db/client';
import { drainSubscriberImports } from '@/server/jobs/subscriber-import';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { makePlan } from '@/server/radius-service/test-support';
import { assign, callerFor, makeNas, makeReseller, makeUser, uid } from '@/test/fixtures';
import { CsvFormatError } from './csv-parse';
import { exportSubscribersCsv } from './csv-export';
import { claimNextSubscriberImport } from './subscriber-import-queue';
import { stagingPasswordBinding, uploadSubscriberImport } from './subscriber-import-upload';

const HEADER = 'username,password,plan,nas,static_ip,enabled\n';

let admin: Actor;
let reseller: Actor; // staff of reseller R1
let otherReseller: Actor; // staff of reseller R2
let r1: number;
let r1Name: string;
let nasA: { id: number; name: string; ipAddress: string }; // assigned to R1
let nasB: { id: number; name: string; ipAddress: string }; // assigned to nobody
let gold: string; // offered to R1
let silver: string; // offered to nobody

async function* bytes(text: string, size = 4096) {
  const b = new TextEncoder().encode(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

function upload(actor: Actor, csv: string, opts: { resellerId?: number | null; fileName?: string } = {}) {
  return uploadSubscriberImport(actor, { fileName: opts.fileName ?? 'subs.csv', resellerId: opts.resellerId ?? null, body: bytes(csv) });
}

const importRow = async (id: number) =>
  (
    await db().execute<{
      state: string;
      error_count: number;
      errors: { line: number; field: string; message: string }[];
      error: string;
      processed_rows: number;
      total_rows: number;
    }>(sql`select state, error_count, errors, error, processed_rows, total_rows from subscriber_imports where id = ${id}`)
  )[0];
const countWhere = async (q: ReturnType<typeof sql>) => (await db().execute<{ n: number }>(sql`select count(*)::int as n from ${q}`))[0].n;

/** An import uploaded, queued through the procedure, and run by the job; resolves with its final row. */
async function importNow(actor: Actor, csv: string, opts: Parameters<typeof drainSubscriberImports>[0] = {}) {
  const { id } = await upload(actor, csv);
  await callerFor(actor).subscriberImports.start({ id });
  expect(await drainSubscriberImports({ log: () => {}, ...opts })).toBe(1);
  return { id, row: await importRow(id) };
}

beforeAll(async () => {
  admin = await makeUser({ role: 'admin' });
  r1 = await makeReseller();
  r1Name = (await db().execute<{ name: string }>(sql`select name from resellers where id = ${r1}`))[0].name;
  reseller = await makeUser({ role: 'reseller', resellerId: r1 });
  otherReseller = await makeUser({ role: 'reseller', resellerId: await makeReseller() });
  nasA = await makeNas(admin, { name: uid('core') });
  nasB = await makeNas(admin, { name: uid('foreign') });
  await assign(r1, nasA.id);
  gold = uid('Gold');
  silver = uid('Silver');
  const goldId = await makePlan({ name: gold });
  await makePlan({ name: silver });
  await db().execute(sql`insert into plan_resellers (plan_id, reseller_id) values (${goldId}, ${r1})`);
  // NAS B has imported pools: its static IPs must come from them.
  await db().execute(
    sql`insert into ip_pool_assignments (nas_id, pool_name, ip_address) values (${nasB.id}, 'p', '10.77.0.1'), (${nasB.id}, 'p', '10.77.0.2')`,
  );
});

describe('the dry run', () => {
  it('finds every kind of bad row with its line number, and writes no subscriber', async () => {
    const taken = uid('taken');
    await db().execute(sql`insert into subscribers (username, static_ip) values (${taken}, '10.66.0.9')`);
    const u = uid('u');
    const csv =
      HEADER +
      `${u}-1,pw,${gold},${nasA.name},10.66.0.1,true\n` + // line 2: fine
      `bad name,pw,${gold},${nasA.name},,true\n` + // 3: space in username
      `${u}-1,pw,${gold},${nasA.name},,true\n` + // 4: duplicate of line 2
      `${taken},pw,${gold},${nasA.name},,true\n` + // 5: exists
      `${u}-5,,${gold},${nasA.name},,true\n` + // 6: empty password
      `${u}-6,pw,NoSuchPlan,${nasA.name},,true\n` + // 7: unknown plan
      `${u}-7,pw,${gold},no-such-nas,,true\n` + // 8: unknown NAS
      `${u}-8,pw,${gold},${nasA.ipAddress},10.66.0.1,true\n` + // 9: static IP repeated from line 2 (NAS by IP is fine)
      `${u}-9,pw,${gold},${nasA.name},10.66.0.9,true\n` + // 10: static IP taken
      `${u}-10,pw,${gold},${nasA.name},10.66.0.0/24,true\n` + // 11: a network, not a host
      `${u}-11,pw,${gold},${nasB.name},10.66.0.3,true\n` + // 12: outside NAS B's pools
      `${u}-12,pw,${gold},${nasB.name},10.77.0.2,maybe\n` + // 13: in the pool, bad enabled
      `${u}-13,"${'x'.repeat(129)}",${gold},${nasA.name},,\n`; // 14: password too long
    const { id } = await upload(admin, csv);
    const row = await importRow(id);
    expect(row.state).toBe('invalid');
    expect(row.total_rows).toBe(13);
    expect(row.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'username'],
      [4, 'username'],
      [5, 'username'],
      [6, 'password'],
      [7, 'plan'],
      [8, 'nas'],
      [9, 'static_ip'],
      [10, 'static_ip'],
      [11, 'static_ip'],
      [12, 'static_ip'],
      [13, 'enabled'],
      [14, 'password'],
    ]);
    expect(row.error_count).toBe(12);
    const msg = (line: number) => row.errors.find((e) => e.line === line)!.message;
    expect(msg(4)).toBe(`username "${u}-1" appears already on line 2`);
    expect(msg(5)).toBe(`username "${taken}" is taken by an existing subscriber`);
    expect(msg(7)).toBe('no plan named "NoSuchPlan"');
    expect(msg(8)).toBe('no NAS "no-such-nas" (give its name or IP)');
    expect(msg(9)).toBe('static IP 10.66.0.1 appears already on line 2');
    expect(msg(12)).toBe(`static IP 10.66.0.3 is outside the imported pools of NAS "${nasB.name}"`);
    expect(msg(13)).toBe('enabled "maybe" must be true, false, yes, no, 1 or 0');
    expect(await countWhere(sql`subscribers where username like ${u + '%'}`)).toBe(0);
    // An invalid import cannot be started.
    await expect(callerFor(admin).subscriberImports.start({ id })).rejects.toThrow(/has 12 error\(s\): fix them/);
  });

  it('keeps the first 1,000 errors and counts them all', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `${uid('m')}-${i},pw,NoSuchPlan,${nasA.name},,`).join('\n');
    const { id } = await upload(admin, HEADER + lines);
    const row = await importRow(id);
    expect(row.error_count).toBe(1500);
    expect(row.errors).toHaveLength(1000);
    expect(row.errors[999].line).toBe(1001);
  });

  it('a malformed file writes nothing at all: no import, no staging row', async () => {
    const before = await countWhere(sql`subscriber_imports`);
    const rowsBefore = await countWhere(sql`subscriber_import_rows`);
    const e = await upload(admin, `${HEADER}${uid('a')},pw,${gold},${nasA.name},,\nb,"never closed\n`).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CsvFormatError);
    expect((e as Error).message).toBe('line 3: a quoted field that starts here is never closed');
    expect(await countWhere(sql`subscriber_imports`)).toBe(before);
    expect(await countWhere(sql`subscriber_import_rows`)).toBe(rowsBefore);
  });

  it('seals each password to its import and line: no clear password in the database, and no ciphertext replays onto another row', async () => {
    const secret = `s3cret-${uid('pw')}`;
    const { id } = await upload(admin, `${HEADER}${uid('p')},${secret},${gold},${nasA.name},,\n${uid('p')},other,${gold},${nasA.name},,\n`);
    const everything = await db().execute<{ t: string }>(sql`
      select row_to_json(s)::text as t from subscriber_import_rows s
      union all select row_to_json(i)::text from subscriber_imports i
      union all select row_to_json(a)::text from audit_log a`);
    expect(everything.map((r) => r.t).join('\n')).not.toContain(secret);
    const [staged] = await db().execute<{ password_enc: string }>(
      sql`select password_enc from subscriber_import_rows where import_id = ${id} and line = 2`,
    );
    expect(decryptSecret(staged.password_enc, stagingPasswordBinding(id, 2))).toBe(secret);
    expect(() => decryptSecret(staged.password_enc, stagingPasswordBinding(id, 3))).toThrow();
    expect(() => decryptSecret(staged.password_enc, stagingPasswordBinding(id + 1, 2))).toThrow();
  });
});

describe('the reseller guard', () => {
  it('a reseller imports only onto its NAS and its plans: a foreign NAS and plan read as unknown', async () => {
    const u = uid('r');
    const { id } = await upload(
      reseller,
      HEADER +
        `${u}-1,pw,${gold},${nasA.name},,\n${u}-2,pw,${gold},${nasB.name},,\n${u}-3,pw,${silver},${nasA.name},,\n${u}-4,pw,${gold},${nasB.ipAddress},,\n`,
      // A reseller cannot choose another reseller: the import is its own.
      { resellerId: 999 },
    );
    const row = await importRow(id);
    expect(row.errors).toEqual([
      { line: 3, field: 'nas', message: `no NAS "${nasB.name}" (give its name or IP)` },
      { line: 4, field: 'plan', message: `no plan "${silver}" is offered to your reseller` },
      { line: 5, field: 'nas', message: `no NAS "${nasB.ipAddress}" (give its name or IP)` },
    ]);
    const [{ reseller_id }] = await db().execute<{ reseller_id: number }>(sql`select reseller_id from subscriber_imports where id = ${id}`);
    expect(reseller_id).toBe(r1);
  });

  it('an admin importing for a reseller is told which NAS and plans are not that reseller’s', async () => {
    const u = uid('a');
    const { id } = await upload(admin, HEADER + `${u}-1,pw,${silver},${nasB.name},,\n`, { resellerId: r1 });
    expect((await importRow(id)).errors).toEqual([
      { line: 2, field: 'nas', message: `NAS "${nasB.name}" is not assigned to reseller ${r1Name}` },
      { line: 2, field: 'plan', message: `plan "${silver}" is not offered to reseller ${r1Name}` },
    ]);
  });

  it('an operator (subscribers.view only) may not upload or touch imports; a user of no reseller may not upload', async () => {
    const operator = await makeUser({ role: 'operator' });
    const { id } = await upload(admin, HEADER + `${uid('o')},pw,${gold},${nasA.name},,\n`);
    const c = callerFor(operator).subscriberImports;
    for (const call of [() => c.get({ id }), () => c.list({}), () => c.start({ id }), () => c.discard({ id })]) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const orphan = await makeUser({ role: 'reseller', resellerId: null });
    await expect(upload(orphan, HEADER + `${uid('o')},pw,${gold},${nasA.name},,\n`)).rejects.toThrow(/belongs to no reseller/);
  });

  it("another reseller's import is not found: not readable, not startable, not discardable", async () => {
    const { id } = await upload(reseller, HEADER + `${uid('x')},pw,${gold},${nasA.name},,\n`);
    const other = callerFor(otherReseller).subscriberImports;
    await expect(other.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.start({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(other.discard({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await other.list({})).map((i) => i.id)).not.toContain(id);
    expect((await callerFor(reseller).subscriberImports.get({ id })).state).toBe('checked');
  });
});

describe('the import job', () => {
  it('imports a checked file in one go: rows, passwords sealed to their subscriber, one audit entry, staging gone', async () => {
    const u = uid('ok');
    const { id, row } = await importNow(
      reseller,
      HEADER + `${u}-1,pass-one,${gold},${nasA.name},10.66.1.1,true\n${u}-2,pass-two,${gold},${nasA.ipAddress},,no\n`,
    );
    expect(row).toMatchObject({ state: 'done', processed_rows: 2, error: '' });
    const subs = await db().execute<{
      id: number;
      username: string;
      password_enc: string;
      reseller_id: number;
      nas_id: number;
      is_active: boolean;
      ip: string | null;
    }>(
      sql`select id, username, password_enc, reseller_id, nas_id, is_active, host(static_ip) as ip from subscribers where username like ${u + '%'} order by username`,
    );
    expect(subs.map((s) => [s.username, s.reseller_id, s.nas_id, s.is_active, s.ip])).toEqual([
      [`${u}-1`, r1, nasA.id, true, '10.66.1.1'],
      [`${u}-2`, r1, nasA.id, false, null],
    ]);
    expect(subs.map((s) => decryptSecret(s.password_enc, subscriberPasswordBinding(s.id)))).toEqual(['pass-one', 'pass-two']);
    expect(await countWhere(sql`subscriber_import_rows where import_id = ${id}`)).toBe(0);
    const audit = await db().execute<{ summary: string; changes: Record<string, unknown>; entity_id: number; actor_email: string }>(
      sql`select summary, changes, entity_id, actor_email from audit_log where entity_type = 'subscriber_import' and entity_id = ${id}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      summary: 'imported 2 subscribers from subs.csv',
      changes: { count: 2, fileName: 'subs.csv' },
      actor_email: reseller.email,
    });
    expect(JSON.stringify(audit)).not.toMatch(/pass-one|pass-two/);
  });

  it('all or nothing: a failure at batch 2 of 3 leaves zero subscribers, the import failed with the reason, and progress was visible from outside meanwhile', async () => {
    const u = uid('big');
    const csv = HEADER + Array.from({ length: 12_000 }, (_, i) => `${u}-${i},pw${i},${gold},${nasA.name},,`).join('\n');
    const seen: { processed: number; visible: number }[] = [];
    const { id } = await upload(admin, csv);
    await callerFor(admin).subscriberImports.start({ id });
    await drainSubscriberImports({
      log: () => {},
      afterBatch: async (batch) => {
        // Another connection: the committed world, outside the import's transaction.
        const [outside] = await db().execute<{ processed: number }>(
          sql`select processed_rows as processed from subscriber_imports where id = ${id}`,
        );
        seen.push({ processed: outside.processed, visible: await countWhere(sql`subscribers where username like ${u + '%'}`) });
        if (batch === 2) throw new Error('the disk caught fire');
      },
    });
    const row = await importRow(id);
    expect(seen).toEqual([
      { processed: 5000, visible: 0 },
      { processed: 10_000, visible: 0 },
    ]);
    expect(row.state).toBe('failed');
    expect(row.error).toBe('internal error (details in the server log); nothing was imported');
    expect(await countWhere(sql`subscribers where username like ${u + '%'}`)).toBe(0);
    expect(await countWhere(sql`audit_log where entity_type = 'subscriber_import' and entity_id = ${id}`)).toBe(0);
    // Still staged: Import can be pressed again, and this time it goes through.
    expect(await countWhere(sql`subscriber_import_rows where import_id = ${id}`)).toBe(12_000);
    await callerFor(admin).subscriberImports.start({ id });
    await drainSubscriberImports({ log: () => {} });
    expect(await importRow(id)).toMatchObject({ state: 'done', processed_rows: 12_000 });
    expect(await countWhere(sql`subscribers where username like ${u + '%'}`)).toBe(12_000);
  });

  it('checks again: a username taken between the dry run and the import fails it whole, naming the line', async () => {
    const u = uid('late');
    const { id } = await upload(admin, HEADER + `${u}-1,pw,${gold},${nasA.name},,\n${u}-2,pw,${gold},${nasA.name},,\n`);
    expect((await importRow(id)).state).toBe('checked');
    await db().execute(sql`insert into subscribers (username) values (${u + '-2'})`);
    await callerFor(admin).subscriberImports.start({ id });
    await drainSubscriberImports({ log: () => {} });
    const row = await importRow(id);
    expect(row.state).toBe('failed');
    expect(row.error).toMatch(/^1 row\(s\) no longer pass the check/);
    expect(row.errors).toEqual([{ line: 3, field: 'username', message: `username "${u}-2" is taken by an existing subscriber` }]);
    expect(await countWhere(sql`subscribers where username = ${u + '-1'}`)).toBe(0);
  });

  it('an import whose worker died is failed once its lock is gone, never retried forever; a live one is left alone', async () => {
    const { id } = await upload(admin, HEADER + `${uid('d')},pw,${gold},${nasA.name},,\n`);
    await callerFor(admin).subscriberImports.start({ id });
    expect(await claimNextSubscriberImport()).toBe(id);
    // The worker "died" a minute ago: state importing, no transaction holds the row.
    await db().execute(sql`update subscriber_imports set started_at = now() - interval '1 minute' where id = ${id}`);
    // A live import meanwhile: its transaction holds the row.
    const { id: live } = await upload(admin, HEADER + `${uid('l')},pw,${gold},${nasA.name},,\n`);
    await db().execute(sql`update subscriber_imports set state = 'importing', started_at = now() - interval '1 minute' where id = ${live}`);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db().transaction(async (tx) => {
      await tx.execute(sql`select id from subscriber_imports where id = ${live} for key share`);
      locked();
      await held;
    });
    await isLocked;
    expect(await claimNextSubscriberImport()).toBeNull();
    release();
    await holder;
    expect((await importRow(id)).state).toBe('failed');
    expect((await importRow(id)).error).toMatch(/^the import was interrupted/);
    expect((await importRow(live)).state).toBe('importing');
  });
});

describe('export', () => {
  it('streams the subscribers in scope as the import CSV, passwords never, with the NAS filter', async () => {
    const u = uid('exp');
    await importNow(reseller, HEADER + `${u}-1,hunter2,${gold},${nasA.name},10.66.2.1,true\n`);
    const mine = uid('admins');
    await db().execute(sql`insert into subscribers (username, nas_id, password_enc) values (${mine}, ${nasB.id}, 'v2.x.y.z.w')`);
    const text = async (actor: Actor, nasId: number | null = null) => {
      let out = '';
      for await (const chunk of exportSubscribersCsv(actor, { nasId })) out += chunk;
      return out;
    };
    const resellers = await text(reseller);
    expect(resellers.startsWith('\uFEFFusername,password,plan,nas,static_ip,enabled\r\n')).toBe(true);
    expect(resellers).toContain(`${u}-1,,${gold},${nasA.ipAddress},10.66.2.1,true\r\n`);
    expect(resellers).not.toContain(mine);
    expect(resellers).not.toContain('hunter2');
    expect(resellers).not.toMatch(/v2\./);
    const all = await text(admin);
    expect(all).toContain(mine);
    expect(all).toContain(`${u}-1`);
    const onB = await text(admin, nasB.id);
    expect(onB).toContain(mine);
    expect(onB).not.toContain(`${u}-1`);
    expect(await text(otherReseller)).toBe('\uFEFFusername,password,plan,nas,static_ip,enabled\r\n');
  });

  it('writes a username a spreadsheet would run as a formula as text', async () => {
    const risky = `=HYPERLINK("http://evil.example/${uid('x')}")`;
    await db().execute(sql`insert into subscribers (username, nas_id, password_enc) values (${risky}, ${nasB.id}, 'v2.x.y.z.w')`);
    let out = '';
    for await (const chunk of exportSubscribersCsv(admin, { nasId: nasB.id })) out += chunk;
    expect(out).toContain(`"'${risky.replace(/"/g, '""')}",`);
    expect(out).not.toMatch(/(^|\n|,)"?=HYPERLINK/);
  });
});
