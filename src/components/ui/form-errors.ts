import type { FieldErrors, FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { fieldErrorsFrom } from '@/trpc/react';
import { errorMessage } from './error-text';

/** Where a failed call's errors land, for every form: field errors under their inputs, the rest on the stray line. */
export function setServerErrors<TValues extends FieldValues>(form: { setError: UseFormSetError<TValues> }, error: unknown) {
  const fields = Object.entries(fieldErrorsFrom(error));
  if (!fields.length) form.setError('root.server', { type: 'server', message: errorMessage(error) });
  for (const [name, messages] of fields) form.setError(name as FieldPath<TValues>, { type: 'server', message: messages[0] });
}

/** The errors no visible input shows (`_form`, a hidden field's, a failed call's), joined into one line. */
export function strayMessage(errors: FieldErrors, visible: ReadonlySet<string>): string {
  return Object.entries(errors)
    .filter(([name]) => name !== 'root' && !visible.has(name))
    .map(([, e]) => e?.message)
    .concat(errors.root?.server?.message)
    .filter((m): m is string => typeof m === 'string' && m !== '')
    .join('; ');
}
