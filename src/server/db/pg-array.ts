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
  let out = '{';
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (i > 0) out += ',';
    if (x === null) out += 'NULL';
    else if (typeof x === 'number') out += `"${x}"`;
    else out += NEEDS_ESCAPE.test(x) ? `"${x.replace(ESCAPED, '\\$&')}"` : `"${x}"`;
  }
  return `${out}}`;
}
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;
