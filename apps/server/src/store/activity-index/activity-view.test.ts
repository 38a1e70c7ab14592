/**
 * `hourActivity` over an in-memory `StatsReads`: one freshness check per view however often
 * it is counted, the counts it gives, and a refusal to count outside what it checked.
 */
import { describe, expect, it } from 'vitest';
import type { MarkCounts, StatsReads } from '../stats-store.js';
import { marksByCell, type Mark } from './caches.case.js';
import { createIndexedStats } from './indexed-stats.js';

const HOUR = 3_600_000;

/** Reads over a list of marks, counting how often the counters are read. */
function memoryReads(marks: Mark[]) {
  const calls = { markCounts: 0, marks: 0 };
  const reads: StatsReads = {
    hourlySums: async () => [],
    rangeSums: async () => [],
    statsEpoch: async () => 0,
    removals: async () => undefined,
    async markCounts(_projectId, _grain, purposes, from, to) {
      calls.markCounts++;
      return purposes.map((purpose): MarkCounts => {
        const counts = new Map<number, number>();
        for (const mark of marks) if (mark.purpose === purpose && mark.bucket >= from && mark.bucket < to) counts.set(mark.bucket, (counts.get(mark.bucket) ?? 0) + 1);
        const buckets = [...counts.keys()].sort((a, b) => a - b);
        return { purpose, buckets, subjects: buckets.map((bucket) => counts.get(bucket)!) };
      });
    },
    async marks(_projectId, _grain, cells) {
      calls.marks++;
      return marksByCell(marks.filter((mark) => cells.some((cell) => cell.purpose === mark.purpose && cell.bucket === mark.bucket)));
    },
    sessions: { kind: 'query', durations: async () => ({ bins: [], shownSubjects: 0 }) },
  };
  return { reads, calls };
}

const mark = (bucket: number, pseudonym: string, purpose = 'update_timing'): Mark => ({ purpose, bucket, pseudonym });

describe('hourActivity', () => {
  it('checks the counters once, then counts as often as asked', async () => {
    const { reads, calls } = memoryReads([mark(0, 'ann'), mark(0, 'bob'), mark(HOUR, 'bob'), mark(HOUR, 'cem'), mark(2 * HOUR, 'dee')]);
    const stats = createIndexedStats(reads);
    const view = await stats.hourActivity('p', ['update_timing'], 0, 3 * HOUR);
    expect(calls).toEqual({ markCounts: 1, marks: 1 });
    expect(view.hourlySubjects('update_timing')).toEqual({ metric: 'subjects', buckets: [0, HOUR, 2 * HOUR], values: [2, 2, 1] });
    expect(view.distinctSubjects([{ key: 'a', purpose: 'update_timing', from: 0, to: 2 * HOUR }], 2)).toEqual(new Map([['a', 2]]));
    expect(view.distinctSubjects([{ key: 'a', purpose: 'update_timing', from: 0, to: 2 * HOUR }])).toEqual(new Map([['a', 3]]));
    expect(view.rangeSubjects('update_timing', [{ from: 0, to: HOUR }, { from: HOUR, to: 3 * HOUR }], (n) => n >= 3)).toEqual({ perRange: [2, 3], shownUnion: 3 });
    expect(calls).toEqual({ markCounts: 1, marks: 1 });
    // A second view checks again, and reloads nothing that did not change.
    await stats.hourActivity('p', ['update_timing'], 0, 3 * HOUR);
    expect(calls).toEqual({ markCounts: 2, marks: 1 });
  });

  it('refuses to count a purpose or a range it did not check', async () => {
    const { reads } = memoryReads([mark(0, 'ann')]);
    const view = await createIndexedStats(reads).hourActivity('p', ['update_timing'], HOUR, 3 * HOUR);
    expect(() => view.distinctSubjects([{ key: 'a', purpose: 'update_timing', from: 0, to: 2 * HOUR }])).toThrow(RangeError);
    expect(() => view.distinctSubjects([{ key: 'a', purpose: 'statistics', from: HOUR, to: 2 * HOUR }])).toThrow(RangeError);
    expect(() => view.rangeSubjects('update_timing', [{ from: HOUR, to: 4 * HOUR }], () => true)).toThrow(RangeError);
    expect(() => view.hourlySubjects('statistics')).toThrow(RangeError);
    expect(view.distinctSubjects([{ key: 'a', purpose: 'update_timing', from: HOUR, to: 3 * HOUR }])).toEqual(new Map());
  });
});
