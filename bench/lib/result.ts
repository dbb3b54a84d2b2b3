/** One line of bench/results.json. `pass` is null for figures the issue only asks to report. */
export interface BenchResult {
  id: number;
  name: string;
  value: number | null;
  unit: string;
  floor: number | null;
  target: number | null;
  pass: boolean | null;
  /** value / floor, when there is a floor. */
  ratio: number | null;
  /** The target as the issue words it, e.g. "p95 ≤ 50 ms and ≤ 3× floor". */
  targetText: string;
  /** What the floor is, in a few words. */
  floorText?: string;
  /** Medians, p95s, sample counts and anything else that explains the value. */
  detail?: Record<string, unknown>;
  error?: string;
}

export function result(
  r: Omit<BenchResult, 'ratio' | 'floor' | 'target' | 'pass'> & Partial<Pick<BenchResult, 'floor' | 'target' | 'pass'>>,
): BenchResult {
  const floor = r.floor ?? null;
  const ratio = r.value !== null && floor ? Math.round((r.value / floor) * 100) / 100 : null;
  return { floor, target: r.target ?? null, pass: r.pass ?? null, ...r, ratio };
}

export function failed(id: number, name: string, unit: string, targetText: string, e: unknown): BenchResult {
  return {
    id,
    name,
    value: null,
    unit,
    floor: null,
    target: null,
    pass: false,
    ratio: null,
    targetText,
    error: e instanceof Error ? e.message : String(e),
  };
}
