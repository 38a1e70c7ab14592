/**
 * The heatmap's k check: cells decided by one busy hour, or by nobody at all, are not
 * counted again, and the answer equals counting every cell's hours together (a Set union).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyedRange } from '../store/stats-store.js';
import { computeHeatmap, heatmapRanges } from './heatmap.js';
import { HOUR_MS } from '../aggregates/time-units.js';

/** Distinct subjects per key over its ranges, capped at `cap`, from the sets of each hour. */
function countWithSets(sets: ReadonlyMap<number, ReadonlySet<number>>, ranges: readonly KeyedRange[], cap: number): Map<string, number> {
  const byKey = new Map<string, Set<number>>();
  for (const range of ranges) {
    const union = byKey.get(range.key) ?? new Set<number>();
    for (const [hour, set] of sets) if (hour >= range.from && hour < range.to) for (const subject of set) union.add(subject);
    byKey.set(range.key, union);
  }
  return new Map([...byKey].filter(([, union]) => union.size > 0).map(([key, union]) => [key, Math.min(union.size, cap)]));
}

describe('heatmap k check', () => {
  it('shows exactly the cells whose hours together hold k distinct subjects', () => {
    fc.assert(
      fc.property(
        // Three cells of one to four hours each; per hour, a set of subjects out of eight.
        fc.array(fc.array(fc.uniqueArray(fc.nat(7), { maxLength: 6 }), { minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        (cells, k) => {
          const sets = new Map<number, Set<number>>();
          const instances: number[][] = Array.from({ length: 168 }, () => []);
          let hour = 0;
          cells.forEach((hours, cell) => {
            for (const subjects of hours) {
              instances[cell]!.push(hour);
              sets.set(hour, new Set(subjects));
              hour += HOUR_MS;
            }
          });
          const perHour = new Map([...sets].filter(([, set]) => set.size > 0).map(([at, set]) => [at, set.size]));
          const ranges = heatmapRanges(instances, perHour, k, 'update_timing');
          const shown = computeHeatmap(instances, perHour, countWithSets(sets, ranges, k), k).slice(0, 3).map((cell) => !cell.suppressed);
          const want = cells.map((_, cell) => new Set(instances[cell]!.flatMap((at) => [...sets.get(at)!])).size >= k);
          expect(shown).toEqual(want);
        },
      ),
    );
  });

  it('counts together only the cells with somebody but nobody-k in a single hour', () => {
    const instances: number[][] = Array.from({ length: 168 }, () => []);
    instances[0] = [0, HOUR_MS]; // 5 in one hour: shown without counting
    instances[1] = [2 * HOUR_MS, 3 * HOUR_MS]; // 3 and 2: counted together
    instances[2] = [4 * HOUR_MS]; // nobody: hidden without counting
    const perHour = new Map([[0, 5], [HOUR_MS, 1], [2 * HOUR_MS, 3], [3 * HOUR_MS, 2]]);
    expect(heatmapRanges(instances, perHour, 5, 'update_timing')).toEqual([
      { key: '1', purpose: 'update_timing', from: 2 * HOUR_MS, to: 3 * HOUR_MS },
      { key: '1', purpose: 'update_timing', from: 3 * HOUR_MS, to: 4 * HOUR_MS },
    ]);
    const cells = computeHeatmap(instances, perHour, new Map([['1', 4]]), 5).slice(0, 3);
    expect(cells).toEqual([
      { day: 'Mon', hour: 0, mean: 3, instances: 2, suppressed: false },
      { day: 'Mon', hour: 1, mean: null, instances: 2, suppressed: true },
      { day: 'Mon', hour: 2, mean: null, instances: 1, suppressed: true },
    ]);
  });
});
