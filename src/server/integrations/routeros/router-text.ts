// Text a router sends ends up in the UI, logs and audit entries. A router's identity or a trap message
// could carry terminal escapes, line breaks that forge log lines, or bidi overrides that make one name
// read as another, so nothing from a router is shown as received.

// C0 controls, DEL, C1 controls, bidi embeddings and overrides (U+202A–U+202E), bidi isolates (U+2066–U+2069).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Line breaks and tabs separate words: they become a space instead of gluing the words together.
const SEPARATOR = /[\t\n\v\f\r]+/g;

/** Short values: names, versions, addresses, ids. RouterOS caps identities and names well below this. */
export const ROUTER_TEXT_MAX = 256;

/** Messages inside errors (`!trap`, `!fatal`): enough for any real one, short enough for a log line. */
export const ROUTER_MESSAGE_MAX = 512;

/**
 * Strips control and bidi-override characters and caps the length (in UTF-16 units, never splitting a
 * surrogate pair); a cut value ends with `…` so it cannot pass for a complete one.
 */
export function cleanRouterText(value: string, maxLength: number = ROUTER_TEXT_MAX): string {
  const cleaned = value.replace(SEPARATOR, ' ').replace(CONTROL, '');
  if (cleaned.length <= maxLength) return cleaned;
  let end = Math.max(0, maxLength - 1);
  const last = cleaned.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${cleaned.slice(0, end)}…`;
}
