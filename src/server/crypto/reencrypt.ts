import { sql } from 'drizzle-orm';
import { db } from '@/server/db/client';
import { pgIntArray, pgTextArray } from '@/server/db/pg-array';
import { currentKeyId, decryptSecret, encryptSecret, SecretUnreadableError } from './secret-box';

/** Every column that holds a secret-box ciphertext, with the table's id column: rotation walks these. */
export const ENCRYPTED_COLUMNS = [
  { table: 'nas_devices', column: 'secret_enc' },
  { table: 'nas_devices', column: 'api_password_enc' },
  { table: 'subscribers', column: 'password_enc' },
] as const;

export interface ReencryptResult {
  rewritten: number;
  /** Values no configured key opens: left as they are, for someone to set anew. */
  unreadable: number;
}

/**
 * Rewrites every stored secret that the current key and format did not write, in one transaction (all or
 * nothing): after a new ENCRYPTION_KEY, with the old one still in ENCRYPTION_KEYS_PREVIOUS, nothing then
 * needs the old key. Rows are locked while they are rewritten, so a concurrent save cannot be lost.
 */
export async function reencryptSecrets(): Promise<ReencryptResult> {
  const prefix = `v2.${currentKeyId()}.`;
  return db().transaction(async (tx) => {
    let rewritten = 0;
    let unreadable = 0;
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      const rows = await tx.execute<{ id: number; value: string }>(sql`
        select id, ${sql.identifier(column)} as value from ${sql.identifier(table)}
        where ${sql.identifier(column)} <> '' and left(${sql.identifier(column)}, ${prefix.length}) <> ${prefix}
        for update`);
      const ids: number[] = [];
      const values: string[] = [];
      for (const r of rows) {
        const binding = { table, column, id: r.id };
        try {
          values.push(encryptSecret(decryptSecret(r.value, binding), binding));
          ids.push(r.id);
        } catch (e) {
          if (!(e instanceof SecretUnreadableError)) throw e;
          unreadable++;
        }
      }
      if (ids.length) {
        await tx.execute(sql`
          update ${sql.identifier(table)} t set ${sql.identifier(column)} = v.value
          from unnest(${pgIntArray(ids)}::int4[], ${pgTextArray(values)}::text[]) as v(id, value)
          where t.id = v.id`);
      }
      rewritten += ids.length;
    }
    return { rewritten, unreadable };
  });
}
