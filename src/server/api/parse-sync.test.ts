import { describe, expect, it } from 'vitest';
import { z, ZodError } from 'zod';
import { ZListNasInput } from '@/lib/schemas/nas';
import { parseSync } from './parse-sync';

describe('parseSync(schema)', () => {
  it('offers tRPC only a synchronous parse, so zod runs its compiled path', () => {
    const parser = parseSync(ZListNasInput);
    expect('parseAsync' in parser).toBe(false);
    expect('~standard' in parser).toBe(false);
    expect(typeof parser.parse).toBe('function');
  });

  it('parses exactly as the schema does: defaults applied, unknown keys stripped', () => {
    const parsed = parseSync(ZListNasInput).parse({ search: 'core', extra: 'x' });
    expect(parsed).toEqual(ZListNasInput.parse({ search: 'core' }));
    expect(parsed).not.toHaveProperty('extra');
  });

  it('throws zod’s own error, which the error formatter turns into field errors', () => {
    expect(() => parseSync(z.object({ limit: z.number().max(10) })).parse({ limit: 11 })).toThrow(ZodError);
  });
});
