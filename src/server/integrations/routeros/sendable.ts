import { RouterOsError } from './errors';

// RouterOS words are length-prefixed, yet the router and the tools around it (logs, scripts, /export)
// treat CR, LF and NUL as separators: a value carrying one could smuggle a second line or word.
const FORBIDDEN = /[\r\n\0]/;

/**
 * Throws a RouterOsError of kind 'invalid' when `value` holds CR, LF or NUL. `what` names the value
 * ("the API password", "parameter =address= of /ping"); the value itself never enters the message.
 */
export function assertSendable(value: string, what: string, details: { target: string; command: string | null }): void {
  if (!FORBIDDEN.test(value)) return;
  throw new RouterOsError(
    'invalid',
    `${what} contains a line break or NUL character, which the panel never sends to a router (nothing was sent)`,
    details,
  );
}

/**
 * `=address=10.0.0.1` → `parameter =address= of /ping`; a word that is not `=name=value` or `?name=value`
 * is named by position, so no part of a value ever reaches the message.
 */
export function describeParameter(word: string, index: number, command: string): string {
  const name = /^[=?.][^=\r\n\0]{1,64}=/.exec(word)?.[0];
  return `parameter ${name ?? `#${index + 1}`} of ${command}`;
}

export function hasForbiddenCharacter(word: string): boolean {
  return FORBIDDEN.test(word);
}
