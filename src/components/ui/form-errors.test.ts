import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { createFormControl, type FieldErrors } from 'react-hook-form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FieldConflictError, NotFoundError } from '@/server/errors';
import { publicProcedure, router } from '@/server/api/trpc';
import { setServerErrors, strayMessage } from './form-errors';

/** A failed call as the browser gets it: the panel's procedure builders and error formatter, over real HTTP. */
const failing = router({
  taken: publicProcedure.mutation(() => {
    throw new FieldConflictError('ipAddress', 'a NAS with IP 10.0.0.1 already exists');
  }),
  invalid: publicProcedure
    .input(z.object({ name: z.string().min(1, 'Name is required'), apiPort: z.number() }).refine(() => false, 'Nothing may be saved now'))
    .mutation(() => 1),
  missing: publicProcedure.mutation(() => {
    throw new NotFoundError('NAS #5');
  }),
});

let client: ReturnType<typeof createTRPCClient<typeof failing>>;
let close: () => void;
beforeAll(async () => {
  const server = createHTTPServer({ router: failing, createContext: () => ({ actor: null }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = createTRPCClient<typeof failing>({ links: [httpLink({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })] });
  close = () => server.close();
});
afterAll(() => close());

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error('the call succeeded');
}

/** A real react-hook-form control, and the errors it reports to its subscribers (what the stray line reads). */
function form() {
  const f = createFormControl({ defaultValues: { name: '', ipAddress: '', apiPort: '' } });
  let errors: FieldErrors = {};
  f.subscribe({ formState: { errors: true }, callback: (s) => void (errors = s.errors ?? errors) });
  return Object.assign(f, { errors: () => errors });
}

describe('setServerErrors', () => {
  it('puts a domain field error under its field, nothing on the stray line', async () => {
    const f = form();
    setServerErrors(f, await failure(() => client.taken.mutate()));
    expect(f.getFieldState('ipAddress').error?.message).toBe('a NAS with IP 10.0.0.1 already exists');
    expect(strayMessage(f.errors(), new Set(['name', 'ipAddress', 'apiPort']))).toBe('');
  });

  it('puts the server’s zod errors under their fields; `_form` and hidden fields go on the stray line', async () => {
    const f = form();
    setServerErrors(f, await failure(() => client.invalid.mutate({ name: '', apiPort: 'x' as never })));
    expect(f.getFieldState('name').error?.message).toBe('Name is required');
    const errors = f.errors();
    expect(strayMessage(errors, new Set(['name', 'apiPort']))).toBe('');
    // apiPort's input is hidden (a generic NAS): its message is said above the buttons instead.
    expect(strayMessage(errors, new Set(['name']))).toMatch(/^[^;]*expected number[^;]*$/i);
  });

  it('a refinement with no field is said once, on the stray line', async () => {
    const f = form();
    setServerErrors(f, await failure(() => client.invalid.mutate({ name: 'x', apiPort: 1 })));
    expect(strayMessage(f.errors(), new Set(['name', 'apiPort']))).toBe('Nothing may be saved now');
  });

  it('a failure with no field errors shows its message on the stray line', async () => {
    const f = form();
    setServerErrors(f, await failure(() => client.missing.mutate()));
    expect(f.getFieldState('name').error).toBeUndefined();
    expect(strayMessage(f.errors(), new Set(['name', 'ipAddress', 'apiPort']))).toBe('NAS #5 not found');
  });
});
