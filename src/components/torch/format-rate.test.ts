import { describe, expect, it } from 'vitest';
import { formatBps, formatPps } from './format-rate';

describe('formatBps', () => {
  it('reads like the router: SI units, three significant digits', () => {
    expect(formatBps(0)).toBe('0 bit/s');
    expect(formatBps(999)).toBe('999 bit/s');
    expect(formatBps(1234)).toBe('1.23 kbit/s');
    expect(formatBps(45_600_000)).toBe('45.6 Mbit/s');
    expect(formatBps(250_000_000)).toBe('250 Mbit/s');
    expect(formatBps(1_500_000_000)).toBe('1.50 Gbit/s');
    expect(formatPps(1234.4)).toBe('1,234 p/s');
  });
});
