/**
 * Percentiles from a duration sketch (`aggregates/duration-sketch.ts`): counts per bucket,
 * summed over any cells. The percentile is by nearest rank, the definition the bound is stated
 * for: the p-quantile of n values is the ceil(p * n)-th smallest, and the sketch answers the
 * representative of the bucket that value falls in, so it is within `RELATIVE_ACCURACY` of it.
 */
import { bucketValue } from '../aggregates/duration-sketch.js';

/** Counts per sketch bucket. */
export type SketchCounts = ReadonlyMap<number, number>;

/** Adds `count` values to `bucket` of a sketch being summed. */
export function addToSketch(sketch: Map<number, number>, bucket: number, count: number): void {
  if (count !== 0) sketch.set(bucket, (sketch.get(bucket) ?? 0) + count);
}

/**
 * The p-quantile (0 < p <= 1) of the values behind a sketch, or null when it holds none.
 *
 * @example sketchQuantile(new Map([[sketchBucket(1_200), 7]]), 0.5) // 1_197: within 1% of 1,200
 */
export function sketchQuantile(sketch: SketchCounts, p: number): number | null {
  let total = 0;
  for (const count of sketch.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let below = 0;
  for (const bucket of [...sketch.keys()].sort((a, b) => a - b)) {
    below += sketch.get(bucket)!;
    if (below >= rank) return bucketValue(bucket);
  }
  return null;
}
