/**
 * The freshness check of `MarkCache` against its definition: a cell of `[from, to)` is stale
 * when its cached set's size differs from its counter, where a cell without a counter must
 * be empty and a cell not cached is empty. Random cached cells, counters and range edges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarkCell, MarkCounts } from '../stats-store.js';
import { marksByCell, type Mark } from './caches.case.js';
import { MarkCache, type StaleCell } from './mark-cache.js';

const HOUR = 3_600_000;
const PURPOSES = ['statistics', 'update_timing'] as const;

/** Per purpose, bucket -> size (cached cells) or counter (counters), buckets on the hour. */
const cellsArb = fc.record({
  statistics: fc.dictionary(fc.integer({ min: 0, max: 15 }).map(String), fc.integer({ min: 1, max: 4 })),
  update_timing: fc.dictionary(fc.integer({ min: 0, max: 15 }).map(String), fc.integer({ min: 1, max: 4 })),
});
const toBuckets = (cells: Record<string, number>) => new Map(Object.entries(cells).map(([hour, n]) => [Number(hour) * HOUR, n]));

const byCell = (a: MarkCell, b: MarkCell) => a.purpose.localeCompare(b.purpose) || a.bucket - b.bucket;

describe('MarkCache.staleCells', () => {
  it('names exactly the cells of the range whose cached size differs from the counter', () => {
    fc.assert(
      fc.property(cellsArb, cellsArb, fc.integer({ min: -1, max: 16 }), fc.integer({ min: 0, max: 17 }), (cached, counters, fromHour, length) => {
        const from = fromHour * HOUR + (fromHour % 2 === 0 ? 0 : 1_000); // edges on and off the hour
        const to = from + length * HOUR;
        const cache = new MarkCache(0);
        const cells: MarkCell[] = [];
        const marks: Mark[] = [];
        for (const purpose of PURPOSES) {
          for (const [bucket, size] of toBuckets(cached[purpose])) {
            cells.push({ purpose, bucket });
            for (let n = 0; n < size; n++) marks.push({ purpose, bucket, pseudonym: `p${n}` });
          }
        }
        cache.fill('hour', cells, marksByCell(marks));
        // The store reads counters of the range only, in bucket order.
        const counts: MarkCounts[] = PURPOSES.map((purpose) => {
          const inRange = [...toBuckets(counters[purpose])].filter(([bucket]) => bucket >= from && bucket < to).sort((a, b) => a[0] - b[0]);
          return { purpose, buckets: inRange.map(([bucket]) => bucket), subjects: inRange.map(([, n]) => n) };
        });
        const want: StaleCell[] = [];
        for (const purpose of PURPOSES) {
          const sizes = toBuckets(cached[purpose]);
          const wanted = toBuckets(counters[purpose]);
          for (const bucket of new Set([...sizes.keys(), ...wanted.keys()])) {
            if (bucket < from || bucket >= to) continue;
            // Each with the marks its counter says it holds now: what reading it costs.
            if ((sizes.get(bucket) ?? 0) !== (wanted.get(bucket) ?? 0)) want.push({ purpose, bucket, marks: wanted.get(bucket) ?? 0 });
          }
        }
        expect(cache.staleCells('hour', PURPOSES, from, to, counts).sort(byCell)).toEqual(want.sort(byCell));
      }),
    );
  });

  it('finds a cell emptied, a cell grown and a new cell, and trusts the rest', () => {
    const cache = new MarkCache(0);
    const mark = (bucket: number, pseudonym: string): Mark => ({ purpose: 'statistics', bucket, pseudonym });
    cache.fill('hour', [0, 1, 2].map((h) => ({ purpose: 'statistics', bucket: h * HOUR })), marksByCell([mark(0, 'a'), mark(HOUR, 'a'), mark(HOUR, 'b'), mark(2 * HOUR, 'c')]));
    const counts: MarkCounts[] = [{ purpose: 'statistics', buckets: [HOUR, 2 * HOUR, 3 * HOUR], subjects: [2, 2, 1] }];
    expect(cache.staleCells('hour', ['statistics'], 0, 4 * HOUR, counts)).toEqual([
      { purpose: 'statistics', bucket: 0, marks: 0 },
      { purpose: 'statistics', bucket: 2 * HOUR, marks: 2 },
      { purpose: 'statistics', bucket: 3 * HOUR, marks: 1 },
    ]);
  });
});
