/**
 * Return gaps kept with the day cells they were counted from. The cadence covers the full
 * weeks before the current one, whose cells rarely change, and its pass over every mark of
 * twelve weeks was the largest part of update-window advice left (0.8 ms of 3.6 at 10,000
 * subjects). A cached set is never changed in place (a reloaded cell gets a new one), so
 * the same sets at the same buckets mean the same marks, and any change counts again.
 */
import type { ReturnGap } from '../stats-store.js';
import { firstAtOrAfter, type CellSets } from './cell-series.js';
import { returnGaps } from './subject-counts.js';
import type { SubjectBits } from './subject-bits.js';

/** Entries kept: a few projects times the ranges their dashboards ask for. */
const MAX_ENTRIES = 64;

interface Entry {
  readonly buckets: readonly number[];
  readonly sets: readonly SubjectBits[];
  readonly gaps: readonly ReturnGap[];
}

export class ReturnGapsMemo {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly count: typeof returnGaps = returnGaps) {}

  /**
   * `returnGaps(days, subjects, from, to, cap)`, counted again only when a day cell of the
   * range was added, removed or reloaded since the same question was last asked.
   *
   * @example memo.gaps('p_1\u0000update_timing', cache.cellsOf('day', 'update_timing'), cache.subjects, from, to, 5)
   */
  gaps(scope: string, days: CellSets<SubjectBits>, subjects: number, from: number, to: number, cap?: number): readonly ReturnGap[] {
    const start = firstAtOrAfter(days.buckets, from);
    const end = firstAtOrAfter(days.buckets, to);
    const key = `${scope}\u0000${from}\u0000${to}\u0000${cap ?? ''}`;
    const entry = this.entries.get(key);
    if (entry && entry.sets.length === end - start && entry.sets.every((set, index) => set === days.sets[start + index] && entry.buckets[index] === days.buckets[start + index])) {
      return entry.gaps;
    }
    const gaps = this.count(days, subjects, from, to, cap);
    if (!entry && this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { buckets: days.buckets.slice(start, end), sets: days.sets.slice(start, end), gaps });
    return gaps;
  }
}
