/** Fields whose values may be written to the audit log; secrets are recorded only as "changed". */
const SECRET_FIELDS = new Set(['secret', 'apiPassword']);

export type FieldChange = { from: unknown; to: unknown } | 'changed' | 'cleared';

/** Compare the stored values with the new ones; secret fields report "changed" and never a value. */
export function diffNas(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const [k, v] of Object.entries(after)) {
    if (SECRET_FIELDS.has(k)) continue;
    if (before[k] !== v) out[k] = { from: before[k], to: v };
  }
  return out;
}

export function describeChanges(changes: Record<string, FieldChange>): string {
  const parts = Object.entries(changes).map(([k, c]) =>
    c === 'changed' ? `${k} changed` : c === 'cleared' ? `${k} cleared` : `${k}: ${fmt(c.from)} → ${fmt(c.to)}`,
  );
  return parts.length ? parts.join('; ') : 'no changes';
}

function fmt(v: unknown) {
  return v === '' ? '(empty)' : String(v);
}
