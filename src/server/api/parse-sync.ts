import type { z } from 'zod';

/**
 * A zod schema as tRPC should run it: synchronously.
 *
 * Given a zod schema, tRPC calls its `parseAsync`, and zod 4 takes its compiled fast path only for
 * synchronous parses: for the 1,000-row NAS list the async path cost about ten times the sync one, 12 % of
 * the panel's CPU for that call (docs/BENCHMARKS.md). No schema of ours has an async refinement, so the
 * procedures hand tRPC an object with only `parse`; `_input` / `_output` are type-only and keep tRPC's
 * inferred input and output types exactly those of the schema. Errors are zod's own `ZodError`, as before.
 */
export interface SyncParser<S extends z.ZodType> {
  readonly _input: z.input<S>;
  readonly _output: z.output<S>;
  parse(value: unknown): z.output<S>;
}

export function parseSync<S extends z.ZodType>(schema: S): SyncParser<S> {
  return { parse: (value) => schema.parse(value) } as SyncParser<S>;
}
