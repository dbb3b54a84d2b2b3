import { sql } from 'drizzle-orm';
import { PASSWORD_MAX_BYTES } from '@/lib/schemas/subscribers';
import { hasControlCharacters } from '@/lib/schemas/common';
import type { Actor } from '@/server/auth/actor';
import { encryptSecret, type SecretBinding } from '@/server/crypto/secret-box';
import { db, type DbOrTx } from '@/server/db/client';
import { pgIntArray, pgNullableArray } from '@/server/db/pg-array';
import { ForbiddenError, NotFoundError } from '@/server/errors';
import { readSubscriberCsv, type SubscriberCsvRow } from './csv-read';
import { checkSubscriberImport, MAX_STORED_ERRORS, PASSWORD_REFUSED } from './subscriber-import-check';

/** Rows per staging insert: one statement of eight array parameters. */
const BATCH = 5000;

/**
 * A staging row's password is sealed to its import and line: the ciphertext opens nowhere else, not in another
 * import's row and not in a subscriber row (the import re-seals it to the subscriber it creates).
 */
export const stagingPasswordBinding = (importId: number, line: number): SecretBinding => ({
  table: 'subscriber_import_rows',
  column: `password_enc/import-${importId}`,
  id: line,
});

export interface UploadInput {
  fileName: string;
  /** Only an actor who sees every subscriber chooses; everyone else imports into their own reseller. */
  resellerId: number | null;
  body: AsyncIterable<Uint8Array>;
  maxBytes?: number;
}

/** The reseller the import writes to, from who imports; a user of no reseller cannot import without `nas.all`. */
export async function importReseller(actor: Actor, chosen: number | null): Promise<number | null> {
  if (!actor.permissions.has('nas.all')) {
    if (actor.resellerId === null) throw new ForbiddenError('your account belongs to no reseller: ask an admin to import subscribers');
    return actor.resellerId;
  }
  if (chosen === null) return null;
  const [r] = await db().execute(sql`select 1 from resellers where id = ${chosen}`);
  if (!r) throw new NotFoundError(`reseller #${chosen}`);
  return chosen;
}

/**
 * Upload and dry run in one transaction: the file is parsed as it streams, each password sealed as it passes,
 * the rows written to staging in batches, then checked in SQL. A malformed file (CsvFormatError) rolls it all
 * back; a well-formed one is kept as `checked` (nothing wrong) or `invalid` (its errors, with line numbers).
 */
export async function uploadSubscriberImport(actor: Actor, input: UploadInput): Promise<{ id: number }> {
  const resellerId = await importReseller(actor, input.resellerId);
  const fileName = input.fileName.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return db().transaction(async (tx) => {
    const [imp] = await tx.execute<{ id: number }>(sql`
      insert into subscriber_imports (created_by, reseller_id, file_name, state)
      values (${actor.userId || null}, ${resellerId}, ${fileName}, 'checking') returning id`);
    let total = 0;
    let batch: SubscriberCsvRow[] = [];
    for await (const rows of readSubscriberCsv(input.body, { maxBytes: input.maxBytes })) {
      for (const r of rows) batch.push(r);
      if (batch.length >= BATCH) {
        total += await insertStaging(tx, imp.id, batch);
        batch = [];
      }
    }
    total += await insertStaging(tx, imp.id, batch);
    const { count, errors } = await checkSubscriberImport(tx, { id: imp.id, resellerId }, actor);
    await tx.execute(sql`
      update subscriber_imports set state = ${count === 0 ? 'checked' : 'invalid'}, total_rows = ${total},
        error_count = ${count}, errors = ${JSON.stringify(errors.slice(0, MAX_STORED_ERRORS))}::jsonb
      where id = ${imp.id}`);
    return { id: imp.id };
  });
}

async function insertStaging(tx: DbOrTx, importId: number, rows: SubscriberCsvRow[]): Promise<number> {
  if (!rows.length) return 0;
  const passwords = rows.map((r) => sealStagingPassword(importId, r));
  await tx.execute(sql`
    insert into subscriber_import_rows (import_id, line, username, password_enc, plan, nas, static_ip, enabled)
    select ${importId}, * from unnest(${pgIntArray(rows.map((r) => r.line))}::int4[],
      ${pgNullableArray(rows.map((r) => r.username))}::text[], ${pgNullableArray(passwords)}::text[],
      ${pgNullableArray(rows.map((r) => r.plan))}::text[], ${pgNullableArray(rows.map((r) => r.nas))}::text[],
      ${pgNullableArray(rows.map((r) => r.staticIp))}::text[], ${pgNullableArray(rows.map((r) => r.enabled))}::text[])`);
  return rows.length;
}

/** The sealed password, or the marker of why it was refused (the dry run reports it with the line). */
function sealStagingPassword(importId: number, r: SubscriberCsvRow): string {
  if (r.password === '') return '';
  if (Buffer.byteLength(r.password, 'utf8') > PASSWORD_MAX_BYTES) return PASSWORD_REFUSED.tooLong;
  if (hasControlCharacters(r.password)) return PASSWORD_REFUSED.control;
  return encryptSecret(r.password, stagingPasswordBinding(importId, r.line));
}
