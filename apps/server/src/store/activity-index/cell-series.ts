/**
 * The cached cells of one grain and purpose, kept in bucket order beside the map that finds
 * one bucket: a range of hours is then a slice of two arrays, not a map lookup per hour of
 * the range (12 weeks are 2,016 hours, of which an office project fills under half), and
 * the freshness check walks cached cells and counters side by side.
 */

/** Cells in bucket order: `sets[i]` holds the subject ordinals marked in `buckets[i]`. */
export interface CellSets {
  /** Buckets with marks, ascending. */
  readonly buckets: readonly number[];
  readonly sets: readonly Uint32Array[];
  get(bucket: number): Uint32Array | undefined;
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
 * @example CellSeries.of([[0, Uint32Array.of(1, 2)]]).get(0) // Uint32Array [1, 2]
 */
export class CellSeries implements CellSets {
  private readonly byBucket = new Map<number, Uint32Array>();
  private ordered: { buckets: number[]; sets: Uint32Array[] } | undefined;

  static of(cells: Iterable<readonly [number, Uint32Array]>): CellSeries {
    const series = new CellSeries();
    for (const [bucket, set] of cells) series.set(bucket, set);
    return series;
  }

  get buckets(): readonly number[] {
    return this.order().buckets;
  }

  get sets(): readonly Uint32Array[] {
    return this.order().sets;
  }

  get(bucket: number): Uint32Array | undefined {
    return this.byBucket.get(bucket);
  }

  set(bucket: number, set: Uint32Array): void {
    const known = this.byBucket.has(bucket);
    this.byBucket.set(bucket, set);
    if (!known) this.ordered = undefined;
    else if (this.ordered) this.ordered.sets[firstAtOrAfter(this.ordered.buckets, bucket)] = set;
  }

  delete(bucket: number): void {
    if (this.byBucket.delete(bucket)) this.ordered = undefined;
  }

  private order(): { buckets: number[]; sets: Uint32Array[] } {
    if (!this.ordered) {
      const buckets = [...this.byBucket.keys()].sort((a, b) => a - b);
      this.ordered = { buckets, sets: buckets.map((bucket) => this.byBucket.get(bucket)!) };
    }
    return this.ordered;
  }
}
