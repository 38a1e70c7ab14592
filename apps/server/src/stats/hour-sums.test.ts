/** `hourSums` against summing the series' hours one by one, with range edges on and off the hour. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourSums } from './hour-sums.js';
import { HOUR_MS } from '../aggregates/time-units.js';

const HALF = HOUR_MS / 2;

describe('hourSums', () => {
  it('equals the sum over the hour buckets starting in the range', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.integer({ min: 0, max: 30 }).map(String), fc.integer({ min: 0, max: 1_000 })),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.tuple(fc.integer({ min: -4, max: 70 }), fc.integer({ min: 0, max: 70 })), { maxLength: 10 }),
        (raw, fromHalves, spanHalves, ranges) => {
          const entries = Object.entries(raw).map(([hour, value]) => [Number(hour) * HOUR_MS, value] as const).sort((a, b) => a[0] - b[0]);
          const series = { buckets: entries.map(([bucket]) => bucket), values: entries.map(([, value]) => value) };
          const from = fromHalves * HALF;
          const to = from + spanHalves * HALF;
          const sum = hourSums(series, from, to);
          for (const [startHalves, lengthHalves] of ranges) {
            // Ranges inside [from, to), edges on the hour or the half hour.
            const start = Math.min(Math.max(startHalves * HALF, from), to);
            const end = Math.min(start + lengthHalves * HALF, to);
            const want = entries.filter(([bucket]) => bucket >= start && bucket < end).reduce((total, [, value]) => total + value, 0);
            expect(sum(start, end)).toBe(want);
          }
        },
      ),
    );
  });

  it('gives a half-hour range the UTC hours that start inside it', () => {
    const sum = hourSums({ buckets: [0, HOUR_MS, 2 * HOUR_MS], values: [1, 10, 100] }, 0, 3 * HOUR_MS);
    expect(sum(HALF, HOUR_MS + HALF)).toBe(10);
    expect(sum(0, 3 * HOUR_MS)).toBe(111);
    expect(sum(2 * HOUR_MS, HOUR_MS)).toBe(0);
  });
});
