import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approximateDurationMs, parseDuration, subtractDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads the retention periods the default policy uses', () => {
    expect(parseDuration('P30D')).toEqual({ years: 0, months: 0, days: 30, hours: 0, minutes: 0, seconds: 0 });
    expect(parseDuration('P25M')).toEqual({ years: 0, months: 25, days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(parseDuration('P1Y2M3W4DT5H6M7S')).toEqual({ years: 1, months: 2, days: 25, hours: 5, minutes: 6, seconds: 7 });
    expect(parseDuration('PT15M')).toEqual({ years: 0, months: 0, days: 0, hours: 0, minutes: 15, seconds: 0 });
  });

  it('refuses what is not a whole-unit duration', () => {
    for (const bad of ['', 'P', 'PT', '30D', 'P30', 'P-1D', 'P1.5D', 'p30d', 'P1DT', 'P1H', 'P99999999999999999D', ' P1D']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('round-trips every generated duration', () => {
    const unit = fc.option(fc.nat({ max: 10_000 }), { nil: undefined });
    fc.assert(
      fc.property(unit, unit, unit, unit, unit, unit, (y, mo, d, h, mi, s) => {
        const date = `${y === undefined ? '' : `${y}Y`}${mo === undefined ? '' : `${mo}M`}${d === undefined ? '' : `${d}D`}`;
        const time = `${h === undefined ? '' : `${h}H`}${mi === undefined ? '' : `${mi}M`}${s === undefined ? '' : `${s}S`}`;
        const text = `P${date}${time ? `T${time}` : ''}`;
        const parsed = parseDuration(text);
        if (date === '' && time === '') return parsed === undefined;
        return (
          parsed !== undefined &&
          parsed.years === (y ?? 0) && parsed.months === (mo ?? 0) && parsed.days === (d ?? 0) &&
          parsed.hours === (h ?? 0) && parsed.minutes === (mi ?? 0) && parsed.seconds === (s ?? 0)
        );
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      parseDuration(text);
    }));
  });
});

describe('subtractDuration', () => {
  it('does calendar arithmetic in UTC', () => {
    expect(subtractDuration(Date.UTC(2026, 10, 24), parseDuration('P30D')!)).toBe(Date.UTC(2026, 9, 25));
    expect(subtractDuration(Date.UTC(2026, 10, 24), parseDuration('P25M')!)).toBe(Date.UTC(2024, 9, 24));
    expect(subtractDuration(Date.UTC(2026, 10, 24, 12), parseDuration('PT90M')!)).toBe(Date.UTC(2026, 10, 24, 10, 30));
  });

  it('approximates calendar units for limits', () => {
    expect(approximateDurationMs(parseDuration('P7D')!)).toBe(7 * 86_400_000);
  });
});
