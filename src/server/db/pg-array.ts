/**
 * PostgreSQL array literals for bulk statements (`unnest($1::int8[])`): one parameter however many rows,
 * where a multi-row insert would run into the parameter limit.
 */
export function pgIntArray(xs: readonly number[]): string {
  return `{${xs.join(',')}}`;
}

export function pgTextArray(xs: readonly string[]): string {
  return `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Any values, NULL for null: `{"a",NULL,"3"}`, cast by the statement (`$1::inet[]`, `$2::int8[]`). */
export function pgNullableArray(xs: readonly (string | number | null)[]): string {
  return `{${xs.map((x) => (x === null ? 'NULL' : `"${String(x).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
