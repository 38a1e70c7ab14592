/**
 * The counting over cached subject sets against the obvious definition (a Set per key, a
 * sorted day list per subject), on random cells, ranges, caps and unaligned range edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyedRange } from '../stats-store.js';
import { CellSeries } from './cell-series.js';
import { countDistinct, countRanges, returnGaps } from './subject-counts.js';
import { SubjectBits } from './subject-bits.js';
import { SubjectList } from './subject-list.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const SUBJECTS = 12;
/** Hour cells' ordinals are spread this far apart in `countDistinct`'s test: two per block of 65,536, with equal low bits, over six blocks. */
const SPREAD = 32_768;

/** Cells as bucket -> distinct ordinals, buckets `unit` apart. */
const cellsArb = (unit: number, buckets: number) =>
  fc
    .dictionary(fc.integer({ min: 0, max: buckets - 1 }).map(String), fc.uniqueArray(fc.integer({ min: 0, max: SUBJECTS - 1 }), { maxLength: SUBJECTS }))
    .map((raw) => new Map(Object.entries(raw).map(([index, ordinals]) => [Number(index) * unit, Uint32Array.from(ordinals)])));

const rangeArb = fc.record({
  key: fc.constantFrom('a', 'b', 'c'),
  purpose: fc.constantFrom('statistics', 'update_timing'),
  // Edges anywhere, not only on the hour: a bucket counts when from <= bucket < to.
  from: fc.integer({ min: -HOUR, max: 30 * HOUR }),
  length: fc.integer({ min: 0, max: 30 * HOUR }),
}).map(({ length, ...range }): KeyedRange => ({ ...range, to: range.from + length }));

describe('countDistinct', () => {
  it('equals a Set union per key, and min(count, cap) with a cap', () => {
    fc.assert(
      fc.property(cellsArb(HOUR, 24), cellsArb(HOUR, 24), fc.array(rangeArb, { maxLength: 8 }), fc.option(fc.integer({ min: 1, max: SUBJECTS })), (statistics, timing, ranges, cap) => {
        const cellsOf = (purpose: string) => (purpose === 'statistics' ? statistics : timing);
        const expected = new Map<string, Set<number>>();
        for (const range of ranges) {
          for (const [bucket, ordinals] of cellsOf(range.purpose)) {
            if (bucket < range.from || bucket >= range.to) continue;
            const set = expected.get(range.key) ?? new Set<number>();
            for (const ordinal of ordinals) set.add(ordinal);
            expected.set(range.key, set);
          }
        }
        const want = new Map([...expected].filter(([, set]) => set.size > 0).map(([key, set]) => [key, cap === null ? set.size : Math.min(set.size, cap)]));
        const spread = (cells: Map<number, Uint32Array>) => CellSeries.of([...cells].map(([bucket, ordinals]) => [bucket, SubjectList.of(Array.from(ordinals, (ordinal) => ordinal * SPREAD))] as const));
        const series = { statistics: spread(statistics), update_timing: spread(timing) };
        expect(countDistinct((purpose) => (purpose === 'statistics' ? series.statistics : series.update_timing), SUBJECTS * SPREAD, ranges, cap ?? undefined)).toEqual(want);
      }),
    );
  });

  it('counts a subject once across hours and ranges of one key', () => {
    const cells = new Map([[0, SubjectList.of([0, 1])], [HOUR, SubjectList.of([1, 2])], [2 * HOUR, SubjectList.of([3])]]);
    const ranges: KeyedRange[] = [
      { key: 'x', purpose: 'p', from: 0, to: 2 * HOUR },
      { key: 'x', purpose: 'p', from: HOUR, to: 3 * HOUR },
      { key: 'y', purpose: 'p', from: 3 * HOUR, to: 4 * HOUR },
    ];
    expect(countDistinct(() => CellSeries.of(cells), 4, ranges)).toEqual(new Map([['x', 4]]));
  });
});

describe('countRanges', () => {
  // Up to 200 subjects (7 words) and cells of up to 40: ranges both under and over a subject
  // per word, so the bit-by-bit and the word-by-word merges are both taken.
  const caseArb = fc.integer({ min: 1, max: 200 }).chain((subjects) =>
    fc.record({
      subjects: fc.constant(subjects),
      cells: fc
        .dictionary(fc.integer({ min: 0, max: 23 }).map(String), fc.uniqueArray(fc.integer({ min: 0, max: subjects - 1 }), { maxLength: 40 }))
        .map((raw) => new Map(Object.entries(raw).map(([hour, ordinals]) => [Number(hour) * HOUR, SubjectList.of(ordinals)]))),
      ranges: fc.array(fc.record({ from: fc.integer({ min: -HOUR, max: 24 * HOUR }), length: fc.integer({ min: 0, max: 8 * HOUR }) }).map(({ from, length }) => ({ from, to: from + length })), { maxLength: 10 }),
      threshold: fc.integer({ min: 0, max: 30 }),
    }),
  );

  it('equals a Set per range, and a Set union over the ranges shown by their own count', () => {
    fc.assert(
      fc.property(caseArb, ({ subjects, cells, ranges, threshold }) => {
        const union = new Set<number>();
        const perRange = ranges.map((range) => {
          const set = new Set<number>();
          for (const [bucket, ordinals] of cells) if (bucket >= range.from && bucket < range.to) for (const ordinal of ordinals.ordinals()) set.add(ordinal);
          if (set.size >= threshold) for (const ordinal of set) union.add(ordinal);
          return set.size;
        });
        expect(countRanges(CellSeries.of(cells), subjects, ranges, (n) => n >= threshold)).toEqual({ perRange, shownUnion: union.size });
      }),
    );
  });

  it('leaves a hidden range’s subjects out of the union, also where they overlap a shown range', () => {
    // Day one: subjects 0-4 (shown at k = 5); day two: 4 and 5 (hidden). 5 appears only on the hidden day.
    const cells = CellSeries.of([[0, SubjectList.of([0, 1, 2])], [HOUR, SubjectList.of([2, 3, 4])], [DAY, SubjectList.of([4, 5])]]);
    expect(countRanges(cells, 6, [{ from: 0, to: DAY }, { from: DAY, to: 2 * DAY }], (n) => n >= 5)).toEqual({ perRange: [5, 2], shownUnion: 5 });
    expect(countRanges(cells, 6, [{ from: 0, to: DAY }, { from: DAY, to: 2 * DAY }], (n) => n >= 2)).toEqual({ perRange: [5, 2], shownUnion: 6 });
  });

  it('reads ordinals past the first block of 65,536', () => {
    const cells = CellSeries.of([[0, SubjectList.of([3, 70_000, 140_000])], [HOUR, SubjectList.of([70_000, 200_000])]]);
    expect(countRanges(cells, 200_001, [{ from: 0, to: HOUR }, { from: HOUR, to: 2 * HOUR }], (n) => n >= 3)).toEqual({ perRange: [3, 2], shownUnion: 3 });
    expect(countRanges(cells, 200_001, [{ from: 0, to: 2 * HOUR }], () => true)).toEqual({ perRange: [4], shownUnion: 4 });
  });
});

/** Day cells as the mark cache keeps them: bits. */
function dayBits(days: Iterable<readonly [number, ArrayLike<number>]>): CellSeries<SubjectBits> {
  return CellSeries.of([...days].map(([bucket, ordinals]) => [bucket, SubjectBits.of(ordinals)] as const));
}

describe('returnGaps', () => {
  it('stops counting a gap length’s subjects at the cap, and never its intervals', () => {
    // Four subjects return after one day, two of them twice; one returns after two days.
    const days = new Map([[0, Uint32Array.of(0, 1, 2, 3, 4)], [DAY, Uint32Array.of(0, 1, 2, 3)], [2 * DAY, Uint32Array.of(0, 1, 4)]]);
    expect(returnGaps(dayBits(days), 5, 0, 3 * DAY)).toEqual([{ gapDays: 1, intervals: 6, subjects: 4 }, { gapDays: 2, intervals: 1, subjects: 1 }]);
    expect(returnGaps(dayBits(days), 5, 0, 3 * DAY, 3)).toEqual([{ gapDays: 1, intervals: 6, subjects: 3 }, { gapDays: 2, intervals: 1, subjects: 1 }]);
  });

  it('equals the gaps between each subject’s consecutive active days, with subjects per gap up to the cap', () => {
    fc.assert(
      fc.property(cellsArb(DAY, 40), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 40 }), fc.option(fc.integer({ min: 1, max: SUBJECTS })), (days, fromDay, spanDays, cap) => {
        const from = fromDay * DAY;
        const to = from + spanDays * DAY;
        const perSubject = new Map<number, number[]>();
        for (const [bucket, ordinals] of days) {
          if (bucket < from || bucket >= to) continue;
          for (const ordinal of ordinals) perSubject.set(ordinal, [...(perSubject.get(ordinal) ?? []), bucket]);
        }
        const intervals = new Map<number, number>();
        const subjects = new Map<number, Set<number>>();
        for (const [ordinal, list] of perSubject) {
          list.sort((a, b) => a - b);
          for (let i = 1; i < list.length; i++) {
            const gap = (list[i]! - list[i - 1]!) / DAY;
            intervals.set(gap, (intervals.get(gap) ?? 0) + 1);
            subjects.set(gap, (subjects.get(gap) ?? new Set()).add(ordinal));
          }
        }
        const want = [...intervals.keys()].sort((a, b) => a - b).map((gap) => ({ gapDays: gap, intervals: intervals.get(gap)!, subjects: Math.min(subjects.get(gap)!.size, cap ?? Infinity) }));
        expect(returnGaps(dayBits(days), SUBJECTS, from, to, cap ?? undefined)).toEqual(want);
      }),
    );
  });
});
