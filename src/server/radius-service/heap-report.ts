import v8 from 'node:v8';

/**
 * One start-up line: how much of the V8 heap limit the loaded NAS rows and subscribers take. The limit is set
 * by whatever starts the process (scripts/radius-heap.mjs, RADIUS_MAX_HEAP_MB, says why it is there); past
 * half of it, the line says so while there is still room, rather than the process running out of heap later
 * as the subscriber list grows.
 */
export function heapReport(stats: Pick<v8.HeapInfo, 'used_heap_size' | 'heap_size_limit'> = v8.getHeapStatistics()): string {
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const line = `[radius] heap: ${mb(stats.used_heap_size)} MB in use of its ${mb(stats.heap_size_limit)} MB limit`;
  if (stats.used_heap_size <= stats.heap_size_limit / 2) return line;
  return `${line}: over half already; raise RADIUS_MAX_HEAP_MB before the subscriber list grows further`;
}
