import { randomBytes } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { fieldErrorsOf, type FieldErrors } from '@/lib/schemas/field-errors';
import type { Permission } from '@/lib/permissions';
import type { Actor } from '@/server/auth/actor';
import { pgError } from '@/server/db/pg-error';
import {
  ConflictError,
  DomainError,
  FieldConflictError,
  FieldError,
  ForbiddenError,
  NotFoundError,
  RouterUnreachableError,
} from '@/server/errors';

export interface Context {
  actor: Actor | null;
}

// No transformer: every output is plain JSON (dates travel as ISO strings), and superjson cost about 10 %
// of the panel's CPU per list call (docs/BENCHMARKS.md).
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, path }) {
    const cause = error.cause;
    let fieldErrors: FieldErrors | null = null;
    if (cause instanceof ZodError) fieldErrors = fieldErrorsOf(cause);
    else if (cause instanceof FieldError) fieldErrors = { [cause.field]: [cause.message] };
    // The last gate before the browser: whatever failed unexpectedly (a query, a bug, a context that could not
    // load) leaves only an id behind; the statement and the stack go to the server log under that id.
    const message = error.code === 'INTERNAL_SERVER_ERROR' ? hideInternalError(error, path) : shape.message;
    return { ...shape, message, data: { ...shape.data, stack: undefined, fieldErrors } };
  },
});

/** The tRPC code of each domain error class, most specific first: the one place errors become codes. */
const DOMAIN_CODES: [new (...args: never[]) => DomainError, TRPCError['code']][] = [
  [NotFoundError, 'NOT_FOUND'],
  [FieldConflictError, 'CONFLICT'],
  [FieldError, 'BAD_REQUEST'],
  [ConflictError, 'CONFLICT'],
  [ForbiddenError, 'FORBIDDEN'],
  [RouterUnreachableError, 'BAD_GATEWAY'],
];

export function trpcCodeOf(err: DomainError): TRPCError['code'] {
  return DOMAIN_CODES.find(([cls]) => err instanceof cls)?.[1] ?? 'BAD_REQUEST';
}

/** Domain errors become tRPC errors here and only here; anything else is left to the formatter to hide. */
const translateErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof ZodError) {
    // tRPC's default message is the issues as JSON; say it the way the form does.
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.issues.map((i) => i.message).join('; '), cause });
  }
  if (cause instanceof DomainError) throw new TRPCError({ code: trpcCodeOf(cause), message: cause.message, cause });
  return result;
});

/** Logs an unexpected error under a fresh id and returns the only text the browser gets. */
function hideInternalError(error: TRPCError, path: string | undefined): string {
  const id = randomBytes(4).toString('hex');
  console.error(`[trpc] error ${id} in ${path ?? '(no procedure)'}: ${describeInternalError(error.cause ?? error)}`);
  return `Internal error ${id}: the panel could not complete this request; the server log has the details under this id`;
}

/**
 * An unexpected error, for the log: drizzle's "Failed query" messages carry the bound parameters, and
 * PostgreSQL quotes offending values, either of which can be a secret: keep the statement, the code and the
 * message with quoted values elided, and the stack.
 */
export function describeInternalError(e: unknown): string {
  const pg = pgError(e);
  const own = e instanceof Error ? e.message.split('\nparams:')[0] : String(e);
  // Only the frames: the stack's head repeats the message, parameters included.
  const frames =
    e instanceof Error && e.stack
      ? e.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 6)
      : [];
  const stack = frames.length ? `\n${frames.join('\n')}` : '';
  if (!pg) return `${own}${stack}`;
  return `${own.split('\n')[0]} — ${pg.code}${pg.constraint_name ? ` (${pg.constraint_name})` : ''}: ${pg.message.replace(/"[^"]*"/g, '"…"')}${stack}`;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(translateErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return next({ ctx: { actor: ctx.actor } });
});

/**
 * Every procedure that touches data is built here: a new permission is one argument, not new middleware.
 * Several arguments: any one of them will do (e.g. a form's choices, needed to create or to edit).
 */
export function permissionProcedure(...anyOf: [Permission, ...Permission[]]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!anyOf.some((p) => ctx.actor.permissions.has(p))) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `missing permission ${anyOf.join(' or ')}` });
    }
    return next({ ctx });
  });
}
