import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { describeInternalError } from './trpc';

it('logs unexpected query failures without their parameters', async () => {
  const err = await db()
    .execute(sql`select ${'v1.encrypted-secret-value'}::int`)
    .catch((e: unknown) => e);
  const line = describeInternalError(err);
  expect(line).toContain('22P02');
  expect(line).not.toContain('encrypted-secret-value');
});
