/** Rates as the plan form types them (a number and k / M / G bit/s) and as plans store them (kbit/s). */
export const RATE_UNITS = ['k', 'M', 'G'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

const KBPS_PER_UNIT: Record<RateUnit, number> = { k: 1, M: 1000, G: 1_000_000 };

/** kbit/s of `value` `unit`bit/s; not rounded, so the schema can refuse a fraction of a kbit/s. */
export function toKbps(value: number, unit: RateUnit): number {
  return value * KBPS_PER_UNIT[unit];
}

/** The largest unit that states `kbps` exactly (10000 → 10 M, 1500 → 1500 k): what the edit form starts from. */
export function fromKbps(kbps: number): { value: number; unit: RateUnit } {
  if (kbps >= 1_000_000 && kbps % 1_000_000 === 0) return { value: kbps / 1_000_000, unit: 'G' };
  if (kbps >= 1000 && kbps % 1000 === 0) return { value: kbps / 1000, unit: 'M' };
  return { value: kbps, unit: 'k' };
}

/** "10 Mbit/s", "1.5 Mbit/s", "512 kbit/s". */
export function formatRate(kbps: number): string {
  if (kbps >= 1_000_000) return `${trim(kbps / 1_000_000)} Gbit/s`;
  if (kbps >= 1000) return `${trim(kbps / 1000)} Mbit/s`;
  return `${kbps} kbit/s`;
}

/** "50 Mbit/s down / 10 Mbit/s up": a plan's rates in one line (tables, the subscriber form's plan select). */
export function formatRates(plan: { downloadKbps: number; uploadKbps: number }): string {
  return `${formatRate(plan.downloadKbps)} down / ${formatRate(plan.uploadKbps)} up`;
}

const trim = (n: number) => String(Math.round(n * 1000) / 1000);
