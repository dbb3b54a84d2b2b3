/**
 * The RADIUS process's V8 heap limit, set by whatever starts it (`npm run radius`, `npm start`, the bench).
 *
 * Why a limit at all: V8 times its next full collection from the live heap times a growth factor, and the
 * factor depends on the heap limit. With Node's default limit (a quarter of the machine's memory, several GB)
 * the factor is up to 4, so under an accounting burst the short-lived garbage of group commits piles up to
 * 2-4× the live heap before it is collected: peak RSS 470 MB with 500,000 subscribers. With 1024 MB the factor
 * is about 1.5 and the peak about 290 MB, at the same throughput (docs/BENCHMARKS.md, figure 13).
 *
 * The live heap of 500,000 subscribers is about 55 MB (their passwords and indexes are outside it, in typed
 * arrays), so 1024 MB leaves room for about ten times that; the service says at start how much of the limit
 * its data fills, and warns past half. Plain JavaScript: scripts/bootstrap.mjs imports it before tsx exists.
 */
export const DEFAULT_RADIUS_MAX_HEAP_MB = 1024;

/** RADIUS_MAX_HEAP_MB, checked: a whole number of MB from 256 to 65536. */
export function radiusMaxHeapMb(env) {
  const raw = env.RADIUS_MAX_HEAP_MB;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RADIUS_MAX_HEAP_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 256 || mb > 65536) {
    throw new Error(`RADIUS_MAX_HEAP_MB must be a whole number of MB from 256 to 65536 (got ${JSON.stringify(raw)})`);
  }
  return mb;
}

/** NODE_OPTIONS for the RADIUS process: the caller's own, with the heap limit added. */
export function radiusNodeOptions(env) {
  return [env.NODE_OPTIONS, `--max-old-space-size=${radiusMaxHeapMb(env)}`].filter(Boolean).join(' ');
}
