import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import type { Permission } from '@/lib/permissions';
import type { Actor } from '@/server/auth/actor';
import { pgError } from '@/server/db/pg-error';
import { ConflictError, DomainError, FieldError, ForbiddenError, NotFoundError, RouterUnreachableError } from '@/server/errors';

export interface Context {
  actor: Actor | null;
}

// No transformer: every output is plain JSON (dates travel as ISO strings), and superjson cost about 10 %
// of the panel's CPU per list call (docs/BENCHMARKS.md).
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: FieldErrors | null = null;
    if (cause instanceof ZodError) fieldErrors = fieldErrorsOf(cause);
    else if (cause instanceof FieldError) fieldErrors = { [cause.field]: [cause.message] };
    return { ...shape, data: { ...shape.data, stack: undefined, fieldErrors } };
  },
});

/** Domain errors become tRPC errors here and only here. Unknown errors are logged and hidden. */
const translateErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const err = result.error;
  const cause = err.cause;
  if (cause instanceof ZodError) {
    // tRPC's default message is the issues as JSON; say it the way the form does.
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.issues.map((i) => i.message).join('; '), cause });
  }
  if (!(cause instanceof DomainError)) {
    if (err.code === 'INTERNAL_SERVER_ERROR') console.error(`[trpc] ${path} failed: ${describeInternalError(cause ?? err)}`);
    return result;
  }
  const code =
    cause instanceof NotFoundError ? 'NOT_FOUND'
    : cause instanceof FieldError ? (cause.message.includes('already exists') ? 'CONFLICT' : 'BAD_REQUEST')
    : cause instanceof ConflictError ? 'CONFLICT'
    : cause instanceof ForbiddenError ? 'FORBIDDEN'
    : cause instanceof RouterUnreachableError ? 'BAD_GATEWAY'
    : 'BAD_REQUEST';
  throw new TRPCError({ code, message: cause.message, cause });
});

/**
 * An unexpected error, for the log: drizzle's "Failed query" messages carry the bound parameters, and
 * PostgreSQL quotes offending values, either of which can be a secret: keep the statement, the code and the
 * message with quoted values elided.
 */
export function describeInternalError(e: unknown): string {
  const pg = pgError(e);
  const own = e instanceof Error ? e.message.split('\nparams:')[0] : String(e);
  return pg ? `${own.split('\n')[0]} — ${pg.code}${pg.constraint_name ? ` (${pg.constraint_name})` : ''}: ${pg.message.replace(/"[^"]*"/g, '"…"')}` : `${own}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(translateErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return next({ ctx: { actor: ctx.actor } });
});

/** Every procedure that touches data is built here: a new permission is one argument, not new middleware. */
export function permissionProcedure(permission: Permission) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!ctx.actor.permissions.has(permission)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `missing permission ${permission}` });
    }
    return next({ ctx });
  });
}
