import { sql } from 'drizzle-orm';
import { loadActor, type Actor } from '@/server/auth/actor';
import { decryptSecret, encryptSecret } from '@/server/crypto/secret-box';
import { db, sqlClient, type Tx } from '@/server/db/client';
import { pgError } from '@/server/db/pg-error';
import { pgIntArray, pgNullableArray } from '@/server/db/pg-array';
import { DomainError } from '@/server/errors';
import { subscriberPasswordBinding } from '@/server/radius-service/subscribers';
import { writeAudit } from '@/server/services/audit/write-audit';
import { checkSubscriberImport, nasMapSql, planMapSql, type ImportRowError, type ImportTarget } from './subscriber-import-check';
import { stagingPasswordBinding } from './subscriber-import-upload';

/** Rows per subscribers insert (and per progress step). */
const BATCH = 5000;
// What the dry run accepted as "enabled" ('' is the default); anything else it accepted is a no.
const ENABLED = new Set(['', 'true', 'yes', '1']);

/** Why an import stopped, in words the uploader can act on; the transaction rolled back, nothing was written. */
class ImportStopped extends DomainError {
  constructor(
    message: string,
    readonly errors: { count: number; errors: ImportRowError[] } | null = null,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** Called after each batch, inside the transaction (tests: watch progress from outside, or fail half-way). */
  afterBatch?: (batch: number, processed: number) => Promise<void>;
  log?: (line: string) => void;
}

/**
 * Run one claimed import as ONE transaction: check again (NAS, plans and usernames may have changed since the
 * dry run), give each row a subscriber id, re-seal its password to that row, insert in batches, audit once, drop
 * the staging rows. Any failure rolls all of it back and leaves the import `failed` with the reason. Progress is
 * written from another connection, so the UI sees it while the transaction runs. Never throws.
 */
export async function runSubscriberImport(importId: number, opts: RunOptions = {}): Promise<'done' | 'failed'> {
  const log = opts.log ?? console.log;
  try {
    const [imp] = await db().execute<{ created_by: number | null; reseller_id: number | null; file_name: string; total_rows: number }>(
      sql`select created_by, reseller_id, file_name, total_rows from subscriber_imports where id = ${importId}`,
    );
    if (!imp) return 'failed';
    const actor = imp.created_by === null ? null : await loadActor(imp.created_by);
    if (!actor?.permissions.has('subscribers.create')) {
      throw new ImportStopped('the user who uploaded this file may no longer add subscribers');
    }
    const target = { id: importId, resellerId: imp.reseller_id };
    const count = await db().transaction((tx) => importInTransaction(tx, target, actor, imp, opts));
    log(`subscriber import #${importId}: ${count} subscribers added from ${imp.file_name || 'a CSV file'}`);
    return 'done';
  } catch (e) {
    const message = failureText(e);
    if (!(e instanceof DomainError)) console.error(`subscriber import #${importId} failed unexpectedly`, e);
    const errors = e instanceof ImportStopped ? e.errors : null;
    await db()
      .execute(
        sql`update subscriber_imports set state = 'failed', finished_at = now(), processed_rows = 0, error = ${message},
          error_count = coalesce(${errors?.count ?? null}::int, error_count),
          errors = coalesce(${errors ? JSON.stringify(errors.errors) : null}::jsonb, errors)
        where id = ${importId}`,
      )
      .catch((err) => console.error(`could not record the failure of subscriber import #${importId}`, err));
    log(`subscriber import #${importId} failed: ${message}`);
    return 'failed';
  }
}

async function importInTransaction(
  tx: Tx,
  target: ImportTarget,
  actor: Actor,
  imp: { file_name: string; total_rows: number },
  opts: RunOptions,
): Promise<number> {
  // Held to the end: while it is, the import is visibly alive (claimNextSubscriberImport skips it) and no one
  // can delete it; KEY SHARE still lets the progress updates from the other connection through.
  const [alive] = await tx.execute(sql`select id from subscriber_imports where id = ${target.id} and state = 'importing' for key share`);
  if (!alive) throw new ImportStopped('the import was cancelled');
  const check = await checkSubscriberImport(tx, target, actor);
  if (check.count > 0) {
    throw new ImportStopped(
      `${check.count} row(s) no longer pass the check (the NAS, plans or subscribers changed since the dry run), nothing was imported: see the errors, fix the file and upload it again`,
      check,
    );
  }
  const nasIds = await keyMap(tx, nasMapSql(target, actor));
  const planIds = await keyMap(tx, planMapSql(target));

  let after = 0;
  let processed = 0;
  for (let batch = 1; ; batch++) {
    const rows = await tx.execute<StagingRow>(sql`
      select line, username, password_enc, plan, nas, static_ip, enabled from subscriber_import_rows
      where import_id = ${target.id} and line > ${after} order by line limit ${BATCH}`);
    if (!rows.length) break;
    after = rows[rows.length - 1].line;
    const ids = (
      await tx.execute<{ id: number }>(
        sql`select nextval(pg_get_serial_sequence('subscribers', 'id'))::int as id from generate_series(1, ${rows.length})`,
      )
    ).map((r) => r.id);
    const passwords = rows.map((r, i) =>
      encryptSecret(decryptSecret(r.password_enc, stagingPasswordBinding(target.id, r.line)), subscriberPasswordBinding(ids[i])),
    );
    await tx.execute(sql`
      insert into subscribers (id, username, reseller_id, nas_id, plan_id, is_active, password_enc, static_ip)
      select u.id, u.username, ${target.resellerId}::int, u.nas_id, u.plan_id, u.is_active, u.password_enc, u.static_ip
      from unnest(${pgIntArray(ids)}::int4[], ${pgNullableArray(rows.map((r) => r.username))}::text[],
        ${pgIntArray(rows.map((r) => idOf(nasIds, r.nas)))}::int4[], ${pgIntArray(rows.map((r) => idOf(planIds, r.plan)))}::int4[],
        ${pgNullableArray(rows.map((r) => (ENABLED.has(r.enabled.toLowerCase()) ? 't' : 'f')))}::bool[],
        ${pgNullableArray(passwords)}::text[], ${pgNullableArray(rows.map((r) => r.static_ip || null))}::inet[])
        as u(id, username, nas_id, plan_id, is_active, password_enc, static_ip)`);
    processed += rows.length;
    // Another connection, outside this transaction: the UI's progress bar moves while the import is invisible.
    await sqlClient()`update subscriber_imports set processed_rows = ${processed} where id = ${target.id}`;
    await opts.afterBatch?.(batch, processed);
  }
  await writeAudit(tx, actor, {
    action: 'subscriber.import',
    entityType: 'subscriber_import',
    entityId: target.id,
    summary: `imported ${processed} subscribers from ${imp.file_name || 'a CSV file'}`,
    changes: { count: processed, fileName: imp.file_name, resellerId: target.resellerId },
  });
  await tx.execute(sql`delete from subscriber_import_rows where import_id = ${target.id}`);
  await tx.execute(sql`
    update subscriber_imports set state = 'done', processed_rows = ${processed}, finished_at = now(), error = ''
    where id = ${target.id}`);
  return processed;
}

type StagingRow = { line: number; username: string; password_enc: string; plan: string; nas: string; static_ip: string; enabled: string };

async function keyMap(tx: Tx, mapSql: ReturnType<typeof nasMapSql>): Promise<Map<string, number>> {
  const rows = await tx.execute<{ key: string; id: number | null }>(sql`select key, id from (${mapSql}) m`);
  return new Map(rows.filter((r) => r.id !== null).map((r) => [r.key, r.id!]));
}

function idOf(map: Map<string, number>, key: string): number {
  const id = map.get(key);
  // The check just passed in this transaction, so every key resolves; this guards the invariant.
  if (id === undefined) throw new ImportStopped(`"${key.slice(0, 64)}" did not resolve: nothing was imported, upload the file again`);
  return id;
}

function failureText(e: unknown): string {
  if (e instanceof DomainError) return e.message;
  const pg = pgError(e);
  if (pg?.code === '23505') {
    return 'a username or static IP of the file was taken by another subscriber while importing; nothing was imported: press Import to check and try again';
  }
  return 'internal error (details in the server log); nothing was imported';
}
