import { z } from 'zod';

/** The largest value of a PostgreSQL `integer` (serial ids): a bigger id is a wrong input, not a query to run. */
export const PG_INT_MAX = 2_147_483_647;

// C0 and C1 controls, DEL, and the bidirectional overrides that make text read differently than it sorts.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// The same, but line breaks and tabs are part of multi-line text.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function hasControlCharacters(s: string): boolean {
  return CONTROL.test(s);
}

/** A row id from the browser: a whole number within the column's range. */
export const zId = (label: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be a number`) })
    .int(`${label} must be a whole number`)
    .min(1, `${label} must be between 1 and ${PG_INT_MAX}`)
    .max(PG_INT_MAX, `${label} must be between 1 and ${PG_INT_MAX}`);

/** One line of text, trimmed: names, addresses, search terms. */
export const singleLine = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${label} must not contain control characters`);

/** Free text where line breaks belong (descriptions). */
export const multiLine = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !CONTROL_MULTILINE.test(s), `${label} must not contain control characters`);

/** A secret as typed (a trailing space makes another secret), never trimmed. */
export const secretText = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text` })
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${label} must not contain line breaks or other control characters`);
