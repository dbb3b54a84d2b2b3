import { zodResolver } from '@hookform/resolvers/zod';
import type { FieldValues, Resolver, ResolverOptions, ResolverResult } from 'react-hook-form';
import type { z } from 'zod';

/**
 * A shared schema as the form's resolver. `prepare` turns what the inputs hold into the schema's input: it adds
 * what the dialog knows (the row's id) and may leave out inputs the user cannot see. The schema's output is what
 * the form submits, so ports typed as text arrive as numbers.
 */
export function schemaResolver<TValues extends FieldValues, TInput, TOutput>(
  schema: z.ZodType<TOutput, TInput>,
  prepare: (values: TValues) => NoInfer<TInput>,
): Resolver<TValues, unknown, TOutput> {
  // The schema's field names are the form's (prepare only adds or replaces values), so its errors fit the form.
  const resolve = zodResolver(schema as z.ZodType<TOutput, FieldValues>) as Resolver<FieldValues, unknown, TOutput>;
  return async (values, context, options) =>
    (await resolve(prepare(values) as FieldValues, context, options as ResolverOptions<FieldValues>)) as ResolverResult<TValues, TOutput>;
}
