// Values the way RouterOS prints them over the API: every value is a string.

/** `1w2d3h4m5s`, `47m3s`, `0s`. */
export function formatUptime(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  let out = '';
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return rest > 0 || out === '' ? `${out}${rest}s` : out;
}

/** `14ms612us`, `612us`, `3ms`. */
export function formatRtt(ms: number): string {
  const us = Math.round(ms * 1000);
  const whole = Math.floor(us / 1000);
  const frac = us % 1000;
  if (whole === 0) return `${frac}us`;
  return frac === 0 ? `${whole}ms` : `${whole}ms${frac}us`;
}

/** Accepts what people type for intervals: `20ms`, `1s`, `1`, `0.5`. */
export function parseInterval(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) return fallbackMs;
  const value = Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
  return Math.max(10, value);
}
