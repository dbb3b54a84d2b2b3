import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '@/server/auth/actor';
import { db } from '@/server/db/client';
import { ConflictError, NotFoundError } from '@/server/errors';
import type { ImportRowError } from './subscriber-import-check';

export type ImportState = 'checked' | 'invalid' | 'queued' | 'importing' | 'done' | 'failed';

export type SubscriberImport = {
  id: number;
  fileName: string;
  state: ImportState;
  resellerId: number | null;
  resellerName: string | null;
  createdBy: string | null;
  totalRows: number;
  processedRows: number;
  errorCount: number;
  errors: ImportRowError[];
  error: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** Whose imports an actor sees: every one with `nas.all`, else the ones it uploaded or its reseller's. */
export function importInScope(actor: Actor): SQL {
  if (actor.permissions.has('nas.all')) return sql`true`;
  if (actor.resellerId === null) return sql`i.created_by = ${actor.userId}`;
  return sql`(i.created_by = ${actor.userId} or i.reseller_id = ${actor.resellerId})`;
}

const SELECT = sql`select i.id, i.file_name as "fileName", i.state, i.reseller_id as "resellerId", r.name as "resellerName",
    u.email as "createdBy", i.total_rows as "totalRows", i.processed_rows as "processedRows", i.error_count as "errorCount",
    coalesce(i.errors, '[]'::jsonb) as errors, i.error,
    to_json(i.created_at)#>>'{}' as "createdAt", to_json(i.started_at)#>>'{}' as "startedAt", to_json(i.finished_at)#>>'{}' as "finishedAt"
  from subscriber_imports i left join resellers r on r.id = i.reseller_id left join users u on u.id = i.created_by`;

export async function getSubscriberImport(actor: Actor, id: number): Promise<SubscriberImport> {
  const [row] = await db().execute<SubscriberImport>(sql`${SELECT} where i.id = ${id} and ${importInScope(actor)}`);
  if (!row) throw new NotFoundError(`import #${id}`);
  return row;
}

/** The latest imports in scope, without their error lists (the status of one import has them). */
export async function listSubscriberImports(actor: Actor, limit = 20): Promise<SubscriberImport[]> {
  const rows = await db().execute<SubscriberImport>(sql`${SELECT} where ${importInScope(actor)} order by i.id desc limit ${limit}`);
  return rows.map((r) => ({ ...r, errors: [] }));
}

/** Queue a checked import for the background job (or a failed one again: its staging rows are still there). */
export async function startSubscriberImport(actor: Actor, id: number): Promise<SubscriberImport> {
  const rows = await db().execute(sql`
    update subscriber_imports i set state = 'queued', error = '', processed_rows = 0, started_at = null, finished_at = null
    where i.id = ${id} and ${importInScope(actor)} and i.state in ('checked', 'failed')
      and exists (select 1 from subscriber_import_rows s where s.import_id = i.id)
    returning i.id`);
  if (rows.length) return getSubscriberImport(actor, id);
  const imp = await getSubscriberImport(actor, id);
  throw new ConflictError(notStartable(imp));
}

function notStartable(imp: SubscriberImport): string {
  switch (imp.state) {
    case 'invalid':
      return `${imp.fileName || 'the file'} has ${imp.errorCount} error(s): fix them and upload it again`;
    case 'queued':
    case 'importing':
      return 'this import is already running';
    case 'done':
      return 'this file was imported already';
    default:
      return 'this import can no longer run: upload the file again';
  }
}

/** Drop an import that has not run (checked, invalid or failed), with its staging rows. */
export async function discardSubscriberImport(actor: Actor, id: number): Promise<void> {
  const rows = await db().execute(sql`
    delete from subscriber_imports i where i.id = ${id} and ${importInScope(actor)} and i.state in ('checked', 'invalid', 'failed')
    returning i.id`);
  if (rows.length) return;
  const imp = await getSubscriberImport(actor, id);
  throw new ConflictError(
    imp.state === 'done' ? 'this import is done: it stays in the history' : 'this import is running: wait for it to finish',
  );
}

// An import left 'importing' by a worker that died is found by its lock being gone; this long after its start,
// so the window between the claim and the worker's transaction taking the lock is never mistaken for a death.
const CLAIM_GRACE = '30 seconds';

/**
 * Take the oldest queued import (FOR UPDATE SKIP LOCKED: any number of instances drain the queue, each import
 * once). An import whose worker died is failed, not retried: its transaction rolled back, so nothing was written,
 * and a file that kills the worker must not kill the next one too. Pressing Import again queues it again.
 */
export async function claimNextSubscriberImport(): Promise<number | null> {
  // A live worker holds FOR KEY SHARE on its import row for its whole transaction: SKIP LOCKED passes it by.
  await db().execute(sql`
    update subscriber_imports set state = 'failed', finished_at = now(),
      error = 'the import was interrupted (the panel stopped while importing); nothing was written: press Import to try again'
    where id in (select id from subscriber_imports where state = 'importing' and started_at < now() - ${CLAIM_GRACE}::interval
      for update skip locked)`);
  const [row] = await db().execute<{ id: number }>(sql`
    update subscriber_imports set state = 'importing', started_at = now(), processed_rows = 0
    where id = (select id from subscriber_imports where state = 'queued' order by created_at for update skip locked limit 1)
    returning id`);
  return row?.id ?? null;
}
