import { describe, expect, it } from 'vitest';
import { DEFAULT_RADIUS_MAX_HEAP_MB, radiusMaxHeapMb, radiusNodeOptions } from '../../../scripts/radius-heap.mjs';
import { heapReport } from './heap-report';

const MB = 1048576;

describe('the RADIUS process heap limit', () => {
  it('is 1024 MB unless RADIUS_MAX_HEAP_MB says otherwise, added to the caller’s NODE_OPTIONS', () => {
    expect(DEFAULT_RADIUS_MAX_HEAP_MB).toBe(1024);
    expect(radiusNodeOptions({})).toBe('--max-old-space-size=1024');
    expect(radiusNodeOptions({ RADIUS_MAX_HEAP_MB: '' })).toBe('--max-old-space-size=1024');
    expect(radiusNodeOptions({ RADIUS_MAX_HEAP_MB: '2048', NODE_OPTIONS: '--enable-source-maps' })).toBe(
      '--enable-source-maps --max-old-space-size=2048',
    );
  });

  it('refuses a value that is no whole number of MB in range, naming the variable', () => {
    for (const bad of ['1g', '100', '0', '-5', '1024.5', '70000']) {
      expect(() => radiusMaxHeapMb({ RADIUS_MAX_HEAP_MB: bad })).toThrow(/^RADIUS_MAX_HEAP_MB must be a whole number of MB from 256/);
    }
    expect(radiusMaxHeapMb({ RADIUS_MAX_HEAP_MB: '256' })).toBe(256);
  });

  it('is reported at start, with a warning once the loaded data takes more than half of it', () => {
    expect(heapReport({ used_heap_size: 55 * MB, heap_size_limit: 1072 * MB })).toBe('[radius] heap: 55 MB in use of its 1072 MB limit');
    expect(heapReport({ used_heap_size: 536 * MB, heap_size_limit: 1072 * MB })).toBe('[radius] heap: 536 MB in use of its 1072 MB limit');
    expect(heapReport({ used_heap_size: 600 * MB, heap_size_limit: 1072 * MB })).toMatch(
      /^\[radius\] heap: 600 MB in use of its 1072 MB limit: over half already; raise RADIUS_MAX_HEAP_MB/,
    );
  });
});
