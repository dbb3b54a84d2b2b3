// Shared by the server (which throws the code from next-auth's authorize) and the form (which shows the
// message): next-auth hands a thrown error's message to the browser as `error`, and nothing else.

export const SIGNIN_FAILED = 'Sign-in failed: check your email and password.';
export const SIGNIN_UNAVAILABLE_CODE = 'Unavailable';

/** The `error` a throttled sign-in answers with: the same for every e-mail, existing or not. */
export function throttledErrorCode(retryAfterMs: number): string {
  return `Throttled:${Math.max(1, Math.ceil(retryAfterMs / 60_000))}`;
}

/** What the form says for next-auth's `error` (null: no error). */
export function signinErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === SIGNIN_UNAVAILABLE_CODE) return 'Sign-in is unavailable right now (the panel cannot reach its database): try again shortly.';
  const throttled = /^Throttled:(\d{1,4})$/.exec(code);
  if (!throttled) return SIGNIN_FAILED;
  const minutes = Number(throttled[1]);
  return `Too many failed sign-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
