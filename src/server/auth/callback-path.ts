/** Where a sign-in lands when the requested place is missing or not a path of this panel. */
export const DEFAULT_CALLBACK_PATH = '/nas';

// The base only anchors relative resolution; a result with any other origin has left the panel.
const BASE = 'http://panel.invalid';
// Browsers read `\` as `/` and drop tabs and newlines inside URLs: `/\evil` and `/\t/evil` are `//evil`.
const UNSAFE = /[\\\u0000-\u001f\u007f]|^\/\//;

/**
 * A `callbackUrl` reduced to a path of this panel, or `/nas`: an open redirect on the sign-in page is a
 * phishing aid. A value that is, or decodes to, anything suspicious is refused rather than repaired.
 */
export function safeCallbackPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.length > 2048 || !decodesSafely(raw)) return DEFAULT_CALLBACK_PATH;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return DEFAULT_CALLBACK_PATH;
  }
  // Dot segments resolve too: `/a/../..//evil` is `//evil`.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === BASE && !UNSAFE.test(path) ? path : DEFAULT_CALLBACK_PATH;
}

/** Safe as written and after each round of percent-decoding (`/%5Cevil`, `/%255Cevil`). */
function decodesSafely(value: string): boolean {
  let s = value;
  for (let round = 0; round < 4; round++) {
    if (UNSAFE.test(s)) return false;
    let next: string;
    try {
      next = decodeURIComponent(s);
    } catch {
      return false;
    }
    if (next === s) return true;
    s = next;
  }
  return false;
}

/**
 * next-auth's `redirect` callback: `url` is a path or an absolute URL; only this panel's own origin keeps
 * its path, and that path must pass `safeCallbackPath` too.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  let path: string | null = url;
  if (!url.startsWith('/')) {
    try {
      const u = new URL(url);
      path = u.origin === origin ? `${u.pathname}${u.search}${u.hash}` : null;
    } catch {
      path = null;
    }
  }
  return `${origin}${safeCallbackPath(path)}`;
}
