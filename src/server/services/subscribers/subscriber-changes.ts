import type { FieldChange } from '@/server/services/nas/nas-changes';

/** A subscriber's audited fields: the password is never one of them (it is recorded as "set" or "changed"). */
export interface AuditedSubscriber {
  username: string;
  nasId: number | null;
  planId: number | null;
  resellerId: number | null;
  staticIp: string | null;
  enabled: boolean;
}

export function diffSubscriber(before: Partial<AuditedSubscriber>, after: AuditedSubscriber): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const k of Object.keys(after) as (keyof AuditedSubscriber)[]) {
    if ((before[k] ?? null) !== after[k]) out[k] = { from: before[k] ?? null, to: after[k] };
  }
  return out;
}
