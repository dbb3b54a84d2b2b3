import { describe, expect, it } from 'vitest';
import { sqlClient } from './client';
import { pgIntArray, pgNullableArray, pgTextArray } from './pg-array';

/** The literals go through PostgreSQL's own array parser: what comes back out of unnest must be what went in. */
describe('PostgreSQL array literals', () => {
  const awkward = ['plain', '', 'with "quotes"', 'back\\slash', 'comma, and {braces}', 'NULL', ' spaced ', 'ünïcode ✓', 'a\tb'];

  it('text arrays keep every string as it was', async () => {
    const rows = await sqlClient().unsafe('select v from unnest($1::text[]) with ordinality as t(v, i) order by i', [pgTextArray(awkward)]);
    expect(rows.map((r) => r.v)).toEqual(awkward);
  });

  it('nullable arrays keep strings, numbers and nulls, cast by the statement', async () => {
    const values = [...awkward, null, 42, null];
    const rows = await sqlClient().unsafe('select v from unnest($1::text[]) with ordinality as t(v, i) order by i', [
      pgNullableArray(values),
    ]);
    expect(rows.map((r) => r.v)).toEqual(values.map((v) => (v === null ? null : String(v))));
    const [big] = await sqlClient().unsafe('select v::text from unnest($1::int8[]) v', [pgNullableArray([5 * 2 ** 32 + 7])]);
    expect(big.v).toBe(String(5 * 2 ** 32 + 7));
    const ints = await sqlClient().unsafe('select v from unnest($1::int4[]) v', [pgIntArray([1, -2, 3])]);
    expect(ints.map((r) => r.v)).toEqual([1, -2, 3]);
  });
});
