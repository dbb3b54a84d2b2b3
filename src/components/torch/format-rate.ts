const UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];

/** 0 → "0 bit/s", 1234 → "1.23 kbit/s", 45_600_000 → "45.6 Mbit/s": network rates in SI units, as RouterOS shows them. */
export function formatBps(bps: number): string {
  let value = Math.max(0, bps);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Packets per second, rounded: "0 p/s", "1,234 p/s". */
export function formatPps(pps: number): string {
  return `${Math.round(pps).toLocaleString('en')} p/s`;
}
