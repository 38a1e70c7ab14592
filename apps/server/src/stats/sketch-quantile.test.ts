/**
 * Percentiles from duration sketches against the exact ones: every percentile the features
 * and sessions answers report is within the stated relative accuracy of the nearest-rank
 * percentile of the durations behind it, for random duration sets, after the sketch went
 * through the aggregate plan (summed per hour and purpose, split across hours and merged).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAggregates, type PlannedEvent } from '../aggregates/aggregate-plan.js';
import { bucketValue, RELATIVE_ACCURACY, SKETCH_LOWS, sketchBucket } from '../aggregates/duration-sketch.js';
import { HOUR_MS } from '../aggregates/time-units.js';
import type { RangeSum } from '../store/stats-store.js';
import { computeFeatures, computeSessionDistribution } from './distributions.js';
import { sketchQuantile } from './sketch-quantile.js';

const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
const MAX_MS = 7 * 86_400_000;

/** The nearest-rank p-quantile: the ceil(p * n)-th smallest value. */
function exactQuantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

const within = (reported: number | null, exact: number) => reported !== null && Math.abs(reported - exact) <= RELATIVE_ACCURACY * exact;

// Durations from 0 ms to the wire's 7-day limit, spread over every order of magnitude.
const durationArb = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: MAX_MS }));

describe('duration sketch', () => {
  it('answers every whole millisecond with a value within 1%', () => {
    fc.assert(fc.property(durationArb, (ms) => within(bucketValue(sketchBucket(ms)), ms)), { numRuns: 2_000 });
    // Every bucket's edges, where the bound is tightest.
    for (const low of SKETCH_LOWS) {
      expect(within(bucketValue(sketchBucket(low)), low)).toBe(true);
      if (low > 0) expect(within(bucketValue(sketchBucket(low - 1)), low - 1)).toBe(true);
    }
  });

  it('reports feature percentiles within the stated bound of the exact ones, after the plan summed them over hours', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(durationArb, fc.integer({ min: 0, max: 47 })), { minLength: 1, maxLength: 300 }), (timed) => {
        const events: PlannedEvent[] = timed.map(([durationMs, hour], i) => ({
          type: 'track', ts: T0 + hour * HOUR_MS, sessionId: `s${i % 3}`, pseudonym: `p${i % 7}`, name: 'export', durationMs, activeMs: null, purposes: ['statistics'],
        }));
        // What a range read returns: the hour cells' rows of one purpose summed per metric and dim.
        const sums = new Map<string, RangeSum>();
        for (const row of planAggregates(events).counters) {
          if (row.grain !== 'hour' || row.purpose !== 'statistics') continue;
          const key = `${row.metric}\u0000${row.dim}`;
          sums.set(key, { metric: row.metric, dim: row.dim, value: (sums.get(key)?.value ?? 0) + row.value });
        }
        const [feature] = computeFeatures([...sums.values()], new Map([['export', 7]]), new Map([['export', 7]]), 5).features;
        const values = timed.map(([ms]) => ms);
        expect(within(feature!.p50Ms, exactQuantile(values, 0.5))).toBe(true);
        expect(within(feature!.p90Ms, exactQuantile(values, 0.9))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reports session percentiles within the bound of the exact ones over the sessions of the shown bins', () => {
    fc.assert(
      fc.property(fc.array(durationArb, { minLength: 1, maxLength: 300 }), (durations) => {
        // One histogram bin holding every session, shown: the sketch is the sessions' buckets.
        const sketch = new Map<number, number>();
        for (const ms of durations) sketch.set(sketchBucket(ms), (sketch.get(sketchBucket(ms)) ?? 0) + 1);
        const answer = computeSessionDistribution({ bins: [{ bin: 0, sessions: durations.length, subjects: 5, sketch }], shownSubjects: 5 }, 5);
        expect(answer.relativeAccuracy).toBe(RELATIVE_ACCURACY);
        for (const [p, reported] of [[0.5, answer.medianMs], [0.75, answer.p75Ms], [0.9, answer.p90Ms]] as const) {
          expect(within(reported, exactQuantile(durations, p))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hides the timings of a feature timed by fewer than k people, and says so', () => {
    const rows = [{ metric: 'events' as const, dim: 'export', value: 9 }, { metric: 'timed' as const, dim: 'export', value: 3 }, { metric: 'duration_ms' as const, dim: 'export', value: 3_600 }, { metric: 'duration_sketch' as const, dim: `${sketchBucket(1_200)}:export`, value: 3 }];
    const hidden = computeFeatures(rows, new Map([['export', 9]]), new Map([['export', 2]]), 5).features[0]!;
    expect(hidden).toEqual({ name: 'export', events: 9, users: 9, timed: 3, meanMs: null, p50Ms: null, p90Ms: null, timingHidden: true });
    const shown = computeFeatures(rows, new Map([['export', 9]]), new Map([['export', 5]]), 5).features[0]!;
    expect(shown).toEqual({ name: 'export', events: 9, users: 9, timed: 3, meanMs: 1_200, p50Ms: 1_197, p90Ms: 1_197, timingHidden: false });
  });

  it('reads the nearest rank: p50 of 1, 2, 3, 4 is 2 and p100 is 4; nothing from an empty sketch', () => {
    const sketch = new Map([1, 2, 3, 4].map((ms) => [sketchBucket(ms), 1]));
    expect([sketchQuantile(sketch, 0.5), sketchQuantile(sketch, 1)]).toEqual([2, 4]);
    expect(sketchQuantile(new Map(), 0.5)).toBeNull();
  });
});
