import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { preparedByDefault } from './client';

// One connection, so the statements it prepared are the ones pg_prepared_statements shows.
const client = postgres(env().DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => client.end({ timeout: 5 }));

const preparedLike = async (text: string) =>
  (await client`select count(*)::int as n from pg_prepared_statements where statement = ${text}`)[0].n as number;

describe('the database client drizzle runs on', () => {
  it('prepares drizzle statements with parameters (one round trip per later call, not a describe first)', async () => {
    const statement = 'select $1::int + 40 as answer';
    const prepared = drizzle(preparedByDefault(client));
    for (let i = 0; i < 3; i++) expect(await prepared.execute(sql`select ${i + 2}::int + 40 as answer`)).toEqual([{ answer: 42 + i }]);
    expect(await preparedLike(statement)).toBe(1);
  });

  it('where drizzle alone would not: the same statement through the plain client leaves nothing prepared', async () => {
    const statement = 'select $1::int + 41 as answer';
    await drizzle(client).execute(sql`select ${1}::int + 41 as answer`);
    expect(await preparedLike(statement)).toBe(0);
  });
});
