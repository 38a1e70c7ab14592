/**
 * Kept unions against the obvious definition (a Set over the range's cells), while cells
 * grow between asks as a mark cache's do, and when a cell shrinks or vanishes (which a mark
 * cache never does, but a union must then be counted again, not trusted).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CellSeries } from './cell-series.js';
import { RangeUnions } from './range-unions.js';
import { countDistinct, countRanges } from './subject-counts.js';
import { SubjectList } from './subject-list.js';

const HOUR = 3_600_000;
const SUBJECTS = 70;

const expected = (cells: ReadonlyMap<number, ReadonlySet<number>>, from: number, to: number) => {
  const union = new Set<number>();
  for (const [bucket, set] of cells) if (bucket >= from && bucket < to) for (const ordinal of set) union.add(ordinal);
  return union;
};

const series = (cells: ReadonlyMap<number, ReadonlySet<number>>) => CellSeries.of([...cells].map(([bucket, set]) => [bucket, SubjectList.of([...set])] as const));

const stepArb = fc.record({
  // Marks added before the ask (hour 0-9, ordinal), or with `shrink` one cell emptied.
  added: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: SUBJECTS - 1 })), { maxLength: 12 }),
  shrink: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 6 }),
  range: fc.integer({ min: 0, max: 2 }),
});
const rangeArb = fc.tuple(fc.integer({ min: -1, max: 10 }), fc.integer({ min: 0, max: 11 })).map(([from, length]) => ({ from: from * HOUR, to: (from + length) * HOUR }));

it('keeps each range union equal to the union of its cells as they grow, shrink or vanish', () => {
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 1, maxLength: 10 }), fc.tuple(rangeArb, rangeArb, rangeArb), (steps, ranges) => {
      const unions = new RangeUnions(2);
      const cells = new Map<number, Set<number>>();
      for (const step of steps) {
        for (const [hour, ordinal] of step.added) {
          const set = cells.get(hour * HOUR) ?? new Set<number>();
          cells.set(hour * HOUR, set.add(ordinal));
        }
        if (step.shrink !== null) {
          const set = cells.get(step.shrink * HOUR);
          if (set && set.size > 1) cells.set(step.shrink * HOUR, new Set([...set].slice(1)));
          else cells.delete(step.shrink * HOUR);
        }
        const { from, to } = ranges[step.range]!;
        const { bits, count } = unions.union(`r${step.range}`, series(cells), SUBJECTS, from, to);
        const want = expected(cells, from, to);
        expect(count).toBe(want.size);
        expect([...Array(SUBJECTS).keys()].filter((ordinal) => (bits[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0)).toEqual([...want].sort((a, b) => a - b));
      }
    }),
  );
});

it('counts the same with kept unions as without, for usage ranges and feature keys', () => {
  const cells = new Map([[0, new Set([1, 2, 3])], [HOUR, new Set([3, 4])], [2 * HOUR, new Set([5])]]);
  const ranges = [{ from: 0, to: HOUR }, { from: HOUR, to: 3 * HOUR }];
  const kept = { unions: new RangeUnions(), key: 'hour\u0000statistics' };
  const shown = (n: number) => n >= 3;
  expect(countRanges(series(cells), 6, ranges, shown, kept)).toEqual(countRanges(series(cells), 6, ranges, shown));
  expect(countRanges(series(cells), 6, ranges, shown, kept)).toEqual({ perRange: [3, 3], shownUnion: 5 });
  const keyed = [{ key: 'all', purpose: 'statistics', from: 0, to: 3 * HOUR }, { key: 'two', purpose: 'statistics', from: HOUR, to: 3 * HOUR }];
  const keptByPurpose = { unions: new RangeUnions(), key: (purpose: string) => `hour\u0000${purpose}` };
  expect(countDistinct(() => series(cells), 6, keyed, undefined, keptByPurpose)).toEqual(new Map([['all', 5], ['two', 3]]));
});

it('unions ordinals past the first block of 65,536', () => {
  const unions = new RangeUnions();
  const cells = CellSeries.of([[0, SubjectList.of([1, 70_000])], [1, SubjectList.of([70_000, 131_073])]]);
  const { bits, count } = unions.union('all', cells, 131_074, 0, 2);
  expect(count).toBe(3);
  expect([1, 70_000, 131_073].map((ordinal) => (bits[ordinal >>> 5]! >>> (ordinal & 31)) & 1)).toEqual([1, 1, 1]);
  // A cell reloaded with one more subject is ORed in; one that lost a subject counts the union again.
  cells.set(1, SubjectList.of([70_000, 131_073, 65_536]));
  expect(unions.union('all', cells, 131_074, 0, 2).count).toBe(4);
  cells.set(0, SubjectList.of([1]));
  expect(unions.union('all', cells, 131_074, 0, 2).count).toBe(4);
  cells.set(1, SubjectList.of([131_073]));
  expect(unions.union('all', cells, 131_074, 0, 2).count).toBe(2);
});
