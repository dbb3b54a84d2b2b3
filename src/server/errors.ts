/**
 * Domain errors, thrown by services and translated to tRPC codes in one place (src/server/api/trpc.ts).
 * Services never import tRPC; the class says what happened, never the message text.
 */
export class DomainError extends Error {}

/** Missing, or outside the caller's scope: the two are indistinguishable on purpose. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The request conflicts with the current state (open sessions, a dependent row, a run in progress). */
export class ConflictError extends DomainError {}

/** A value the user typed is wrong; `field` lets the form show it under the right input. */
export class FieldError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A value the user typed is taken by another row (a unique constraint): a field error with CONFLICT. */
export class FieldConflictError extends FieldError {}

export class ForbiddenError extends DomainError {}

/** The router (or its network) did not do what we asked; the message says what happened. */
export class RouterUnreachableError extends DomainError {}
