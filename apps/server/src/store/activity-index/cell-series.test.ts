/**
 * `CellSeries` against a plain Map sorted on every read, through random sequences of sets,
 * replacements and deletes with reads in between (so the ordered arrays are cached, then
 * patched in place or rebuilt), and `firstAtOrAfter` against a linear search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellSeries, firstAtOrAfter } from './cell-series.js';
import { SubjectList } from './subject-list.js';

const HOUR = 3_600_000;

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), bucket: fc.integer({ min: 0, max: 12 }).map((h) => h * HOUR), ordinals: fc.uniqueArray(fc.nat(20), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('delete' as const), bucket: fc.integer({ min: 0, max: 12 }).map((h) => h * HOUR) }),
  fc.record({ kind: fc.constant('read' as const) }),
);

describe('CellSeries', () => {
  it('keeps buckets ascending with their sets, as a sorted Map would, across sets, replacements and deletes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const series = new CellSeries();
        const reference = new Map<number, SubjectList>();
        const check = () => {
          const buckets = [...reference.keys()].sort((a, b) => a - b);
          expect(series.buckets).toEqual(buckets);
          expect(series.sets).toEqual(buckets.map((bucket) => reference.get(bucket)));
        };
        for (const op of ops) {
          if (op.kind === 'set') {
            const set = SubjectList.of(op.ordinals);
            series.set(op.bucket, set);
            reference.set(op.bucket, set);
          } else if (op.kind === 'delete') {
            series.delete(op.bucket);
            reference.delete(op.bucket);
          } else check();
          for (const [bucket, set] of reference) expect(series.get(bucket)).toBe(set);
        }
        check();
      }),
    );
  });

  it('replaces a known bucket’s set in the ordered arrays already handed out', () => {
    const [one, two, threeFour] = [SubjectList.of([1]), SubjectList.of([2]), SubjectList.of([3, 4])];
    const series = CellSeries.of([[HOUR, one], [0, two]]);
    expect(series.buckets).toEqual([0, HOUR]);
    series.set(HOUR, threeFour);
    expect(series.sets).toEqual([two, threeFour]);
  });
});

describe('firstAtOrAfter', () => {
  it('is the first index whose bucket is at or after the point', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (raw, at) => {
        const buckets = raw.sort((a, b) => a - b);
        const linear = buckets.findIndex((bucket) => bucket >= at);
        expect(firstAtOrAfter(buckets, at)).toBe(linear === -1 ? buckets.length : linear);
      }),
    );
  });
});
