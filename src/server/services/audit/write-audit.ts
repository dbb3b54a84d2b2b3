import type { Actor } from '@/server/auth/actor';
import type { DbOrTx } from '@/server/db/client';
import { auditLog } from '@/server/db/schema';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: number | null;
  summary: string;
  changes?: Record<string, unknown>;
}

/** Call inside the transaction that makes the change, so history and state cannot disagree. */
export async function writeAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry) {
  await tx.insert(auditLog).values({
    actorUserId: actor.userId || null,
    actorEmail: actor.email,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    summary: entry.summary,
    changes: entry.changes ?? {},
  });
}
