'use client';

import { createContext, useCallback, useContext, useLayoutEffect, useState } from 'react';
import {
  FormProvider,
  useController,
  useForm,
  useFormContext,
  useFormState,
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type Resolver,
  type SubmitHandler,
  type UseFormReturn,
} from 'react-hook-form';
import { CheckboxField, FormError, SelectField, TextAreaField, TextField } from './field';
import { strayMessage } from './form-errors';

export { setServerErrors } from './form-errors';

/**
 * The dialogs' form shell: react-hook-form over a shared zod schema, fields bound by name, and one line for
 * the errors that have no visible input to sit under (`_form`, hidden fields, a failed call).
 */

/**
 * Validation runs on Save (and on whatever else calls handleSubmit); typing into a field clears its error
 * instead of re-checking it half-typed, and focus stays where the user left it.
 */
export function useSchemaForm<TValues extends FieldValues, TOutput>(options: {
  resolver: Resolver<TValues, unknown, TOutput>;
  defaultValues: DefaultValues<TValues>;
}): UseFormReturn<TValues, unknown, TOutput> {
  return useForm<TValues, unknown, TOutput>({ ...options, mode: 'onSubmit', reValidateMode: 'onSubmit', shouldFocusError: false });
}

/** Names of the bound fields on screen: an error for any other name goes to the stray line. */
const MountedFields = createContext<ReadonlySet<string>>(new Set());
const TrackField = createContext<(name: string) => () => void>(() => () => {});

export function Form<TValues extends FieldValues, TOutput>({
  form,
  onSubmit,
  className,
  testId,
  children,
}: {
  form: UseFormReturn<TValues, unknown, TOutput>;
  onSubmit: SubmitHandler<TOutput>;
  className?: string;
  testId?: string;
  children: React.ReactNode;
}) {
  const [mounted, setMounted] = useState<ReadonlySet<string>>(() => new Set());
  const track = useCallback((name: string) => {
    setMounted((s) => new Set(s).add(name));
    return () =>
      setMounted((s) => {
        const next = new Set(s);
        next.delete(name);
        return next;
      });
  }, []);
  return (
    <FormProvider {...form}>
      <TrackField.Provider value={track}>
        <MountedFields.Provider value={mounted}>
          <form noValidate onSubmit={form.handleSubmit(onSubmit)} className={className} data-testid={testId}>
            {children}
          </form>
        </MountedFields.Provider>
      </TrackField.Provider>
    </FormProvider>
  );
}

/** Errors with no visible input (and a failed call's message), said once, joined into one line. */
export function FormStrayErrors({ testId }: { testId?: string }) {
  const { errors } = useFormState();
  const mounted = useContext(MountedFields);
  return <FormError message={strayMessage(errors, mounted)} testId={testId} />;
}

/** The field's value and error from the form; typing clears the error the last check left on it. */
function useBoundField(name: string) {
  const { control, clearErrors } = useFormContext();
  const { field, fieldState } = useController({ name, control });
  const track = useContext(TrackField);
  useLayoutEffect(() => track(name), [track, name]);
  const change = (value: unknown) => {
    field.onChange(value);
    if (fieldState.error) clearErrors(name);
  };
  return { name, value: field.value as unknown, onBlur: field.onBlur, change, error: fieldState.error?.message };
}

const asText = (v: unknown) => (v === undefined || v === null ? '' : String(v));

type Bound<P> = Omit<P, 'name' | 'value' | 'defaultValue' | 'checked' | 'defaultChecked' | 'onChange' | 'error'> & { name: string };

function BoundTextField({ name, ...props }: Bound<React.ComponentProps<typeof TextField>>) {
  const f = useBoundField(name);
  return (
    <TextField
      {...props}
      name={f.name}
      value={asText(f.value)}
      error={f.error}
      onBlur={f.onBlur}
      onChange={(e) => f.change(e.target.value)}
    />
  );
}

function BoundTextAreaField({ name, ...props }: Bound<React.ComponentProps<typeof TextAreaField>>) {
  const f = useBoundField(name);
  return (
    <TextAreaField
      {...props}
      name={f.name}
      value={asText(f.value)}
      error={f.error}
      onBlur={f.onBlur}
      onChange={(e) => f.change(e.target.value)}
    />
  );
}

/** `toValue` turns the option's text into the form's value (ids are numbers in the schema). */
function BoundSelectField({
  name,
  toValue = (s) => s,
  ...props
}: Bound<React.ComponentProps<typeof SelectField>> & { toValue?: (option: string) => unknown }) {
  const f = useBoundField(name);
  return (
    <SelectField
      {...props}
      name={f.name}
      value={asText(f.value)}
      error={f.error}
      onBlur={f.onBlur}
      onChange={(e) => f.change(toValue(e.target.value))}
    />
  );
}

function BoundCheckboxField({ name, ...props }: Bound<React.ComponentProps<typeof CheckboxField>>) {
  const f = useBoundField(name);
  return (
    <CheckboxField
      {...props}
      name={f.name}
      checked={Boolean(f.value)}
      error={f.error}
      onBlur={f.onBlur}
      onChange={(e) => f.change(e.target.checked)}
    />
  );
}

type Named<TValues extends FieldValues, C extends (props: never) => React.ReactNode> = (
  props: Omit<Parameters<C>[0], 'name'> & { name: FieldPath<TValues> },
) => React.ReactNode;

/** The bound fields, with `name` checked against the form's values: `const { TextField } = formFields<Values>()`. */
export function formFields<TValues extends FieldValues>(): {
  TextField: Named<TValues, typeof BoundTextField>;
  TextAreaField: Named<TValues, typeof BoundTextAreaField>;
  SelectField: Named<TValues, typeof BoundSelectField>;
  CheckboxField: Named<TValues, typeof BoundCheckboxField>;
} {
  return { TextField: BoundTextField, TextAreaField: BoundTextAreaField, SelectField: BoundSelectField, CheckboxField: BoundCheckboxField };
}
