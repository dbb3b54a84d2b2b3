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
