'use client';

import { useId } from 'react';

/**
 * Label + control + hint + error, wired with ids so e2e can use getByLabel and screen readers read the
 * error with the input.
 */
function FieldShell({
  id,
  label,
  required,
  hint,
  error,
  children,
  className = '',
}: {
  id: string;
  label: React.ReactNode;
  required?: boolean;
  hint?: React.ReactNode;
  error?: string[] | string;
  children: React.ReactNode;
  className?: string;
}) {
  const message = Array.isArray(error) ? error[0] : error;
  return (
    <div className={className}>
      {/* The asterisk sits outside the <label> so the label text (what getByLabel and screen readers read) is just the name. */}
      <div className="mb-1 flex text-xs font-medium text-slate-700">
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="ml-0.5 text-red-600" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {children}
      {hint && !message && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {message && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-600" data-testid="field-error">
          {message}
        </p>
      )}
    </div>
  );
}

const controlClass = (invalid: boolean) =>
  `block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm max-md:min-h-10 max-sm:text-base text-slate-900 placeholder:text-slate-400 focus:outline-none focus:ring-2 disabled:bg-slate-50 ${
    invalid ? 'border-red-400 focus:ring-red-200' : 'border-slate-300 focus:border-sky-500 focus:ring-sky-100'
  }`;

type Common = {
  label: React.ReactNode;
  required?: boolean;
  hint?: React.ReactNode;
  error?: string[] | string;
  className?: string;
};

function describedBy(id: string, hint: unknown, error: unknown) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField({ label, required, hint, error, className, ...input }: Common & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const invalid = Boolean(error && error.length);
  return (
    <FieldShell id={id} label={label} required={required} hint={hint} error={error} className={className}>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, invalid)}
        className={controlClass(invalid)}
        {...input}
      />
    </FieldShell>
  );
}

export function TextAreaField({
  label,
  required,
  hint,
  error,
  className,
  ...input
}: Common & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const invalid = Boolean(error && error.length);
  return (
    <FieldShell id={id} label={label} required={required} hint={hint} error={error} className={className}>
      <textarea
        id={id}
        rows={2}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, invalid)}
        className={controlClass(invalid)}
        {...input}
      />
    </FieldShell>
  );
}

export function SelectField({
  label,
  required,
  hint,
  error,
  className,
  children,
  ...select
}: Common & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  const invalid = Boolean(error && error.length);
  return (
    <FieldShell id={id} label={label} required={required} hint={hint} error={error} className={className}>
      <select
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, invalid)}
        className={controlClass(invalid)}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  hint,
  error,
  className = '',
  ...input
}: Omit<Common, 'required'> & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const id = useId();
  const message = Array.isArray(error) ? error[0] : error;
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          aria-describedby={describedBy(id, hint, message)}
          className="h-4 w-4 rounded border-slate-300 text-slate-900 focus:ring-sky-200"
          {...input}
        />
        <label htmlFor={id} className="text-sm text-slate-700">
          {label}
        </label>
      </div>
      {hint && !message && (
        <p id={`${id}-hint`} className="ml-6 mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {message && (
        <p id={`${id}-error`} className="ml-6 mt-0.5 text-xs text-red-600" data-testid="field-error">
          {message}
        </p>
      )}
    </div>
  );
}

/** A form-level error that belongs to no single field. */
export function FormError({ message, testId = 'form-error' }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid={testId} className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}
