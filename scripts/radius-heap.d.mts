export const DEFAULT_RADIUS_MAX_HEAP_MB: number;
export function radiusMaxHeapMb(env: Record<string, string | undefined>): number;
export function radiusNodeOptions(env: Record<string, string | undefined>): string;
