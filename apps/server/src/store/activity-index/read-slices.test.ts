/**
 * A fill reads stale cells in slices that stop at `cellsPerRead` cells or `marksPerRead` marks
 * (`sliceEnd`): for any cells and limits, the slices cover every cell once in order, each holds
 * one cell at least, none passes a limit unless it is one cell, and none stops early.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { sliceEnd } from './indexed-stats.js';

it('slices every cell once, in order, within both limits, as long as the limits allow', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat({ max: 10_000 }), { maxLength: 200 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 1, max: 60_000 }),
      (counts, cellsPerRead, marksPerRead) => {
        const cells = counts.map((marks, bucket) => ({ purpose: 'statistics', bucket, marks }));
        const slices = { cellsPerRead, marksPerRead, sessionsPerRead: 1 };
        const read: number[][] = [];
        for (let start = 0, end = 0; start < cells.length; start = end) {
          end = sliceEnd(cells, start, slices);
          const slice = counts.slice(start, end);
          read.push(slice);
          const marks = slice.reduce((sum, n) => sum + n, 0);
          expect(slice.length).toBeGreaterThanOrEqual(1);
          expect(slice.length).toBeLessThanOrEqual(cellsPerRead);
          if (slice.length > 1) expect(marks).toBeLessThanOrEqual(marksPerRead);
          // It stopped at a limit or at the end, not before.
          if (end < cells.length) expect(slice.length === cellsPerRead || marks + counts[end]! > marksPerRead).toBe(true);
        }
        expect(read.flat()).toEqual(counts);
      },
    ),
  );
});

it('reads 64 office hours of 100,000 subjects (7,000 marks each) in 10 slices, not one', () => {
  const cells = Array.from({ length: 64 }, (_, bucket) => ({ purpose: 'statistics', bucket, marks: 7_000 }));
  const ends: number[] = [];
  for (let start = 0; start < cells.length; start = ends.at(-1)!) ends.push(sliceEnd(cells, start, { cellsPerRead: 64, marksPerRead: 50_000, sessionsPerRead: 10_000 }));
  expect(ends).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 63, 64]);
});
