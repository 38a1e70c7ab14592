/**
 * The cached cells of one grain and purpose, kept in bucket order beside the map that finds
 * one bucket: a range of hours is then a slice of two arrays, not a map lookup per hour of
 * the range (12 weeks are 2,016 hours, of which an office project fills under half), and
 * the freshness check walks cached cells and counters side by side.
 */

import type { SubjectList } from './subject-list.js';

/**
 * Cells in bucket order: `sets[i]` holds the subjects marked in `buckets[i]`, as a list of
 * ordinals (hour cells, `subject-list.ts`) or as bits (day cells, `subject-bits.ts`); either
 * way `length` is how many.
 */
export interface CellSets<S extends { readonly length: number } = SubjectList> {
  /** Buckets with marks, ascending. */
  readonly buckets: readonly number[];
  readonly sets: readonly S[];
  get(bucket: number): S | undefined;
}

/**
 * The index of the first bucket at or after `at` (`buckets.length` when there is none).
 *
 * @example firstAtOrAfter([0, 3_600_000, 7_200_000], 3_600_001) // 2
 */
export function firstAtOrAfter(buckets: readonly number[], at: number): number {
  let low = 0;
  let high = buckets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (buckets[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A mutable `CellSets`: cells are set and deleted one by one, and the ordered arrays are
 * rebuilt only when a bucket appears or disappears (about once an hour under live traffic);
 * replacing an existing cell's set, the common refresh, updates them in place.
 *
 * @example CellSeries.of([[0, SubjectList.of([1, 2])]]).get(0)?.length // 2
 */
export class CellSeries<S extends { readonly length: number } = SubjectList> implements CellSets<S> {
  private readonly byBucket = new Map<number, S>();
  private ordered: { buckets: number[]; sets: S[] } | undefined;

  static of<S extends { readonly length: number } = SubjectList>(cells: Iterable<readonly [number, S]>): CellSeries<S> {
    const series = new CellSeries<S>();
    for (const [bucket, set] of cells) series.set(bucket, set);
    return series;
  }

  get buckets(): readonly number[] {
    return this.order().buckets;
  }

  get sets(): readonly S[] {
    return this.order().sets;
  }

  get(bucket: number): S | undefined {
    return this.byBucket.get(bucket);
  }

  set(bucket: number, set: S): void {
    const known = this.byBucket.has(bucket);
    this.byBucket.set(bucket, set);
    if (!known) this.ordered = undefined;
    else if (this.ordered) this.ordered.sets[firstAtOrAfter(this.ordered.buckets, bucket)] = set;
  }

  delete(bucket: number): void {
    if (this.byBucket.delete(bucket)) this.ordered = undefined;
  }

  private order(): { buckets: number[]; sets: S[] } {
    if (!this.ordered) {
      const buckets = [...this.byBucket.keys()].sort((a, b) => a - b);
      this.ordered = { buckets, sets: buckets.map((bucket) => this.byBucket.get(bucket)!) };
    }
    return this.ordered;
  }
}
