/**
 * Durations as a mergeable quantile sketch with a stated relative accuracy (DDSketch's idea:
 * logarithmic buckets whose width grows with the value, so any percentile read from them is
 * within a fixed relative error of the true one). The aggregate plan keeps one counter per
 * bucket (metric `duration_sketch`, dim `<bucket>:<feature>`), so a range's sketch is the sum
 * of its cells' rows, and `stats/sketch-quantile.ts` reads percentiles from it.
 *
 * Why not `@datadog/sketches-js`'s LogarithmicMapping: it computes a bucket with a floating
 * logarithm, and the PostgreSQL store bins sessions in SQL, where another `ln` could put a
 * value on the other side of a boundary than the SQLite store's JavaScript does. Durations
 * are whole milliseconds, so the buckets here are ranges of whole numbers with integer edges,
 * built once with integer arithmetic; both stores bin by looking the edges up (JavaScript by
 * binary search, PostgreSQL with `width_bucket`), and agree exactly.
 *
 * The bound, per bucket: bucket [lo, hi] answers r = floor(lo * (1 + a)), and hi is the
 * largest integer with hi * (1 - a) <= r. For any v in [lo, hi]: r - v <= r - lo <= a * lo <=
 * a * v, and v * (1 - a) <= hi * (1 - a) <= r, so v - r <= a * v. Hence |r - v| <= a * v.
 * Below 100 ms every bucket is one millisecond wide (exact); above, each is about 2% wider
 * than the one before: 977 buckets up to 49 days.
 */

/** The relative accuracy every percentile from a sketch is stated with: within 1% of the true value. */
export const RELATIVE_ACCURACY = 0.01;
/** The bound as a fraction of whole numbers (1/100), so the edges are exact. */
const ACCURACY_NUMERATOR = 1;
const ACCURACY_DENOMINATOR = 100;
/** Durations up to 2^32 ms (49 days) are covered; longer ones share the last bucket. */
const LARGEST_BOUNDED_MS = 2 ** 32;

function buildBuckets(): { lows: number[]; representatives: number[] } {
  const lows = [0];
  const representatives = [0];
  let lo = 1;
  while (lo <= LARGEST_BOUNDED_MS) {
    const representative = Math.floor((lo * (ACCURACY_DENOMINATOR + ACCURACY_NUMERATOR)) / ACCURACY_DENOMINATOR);
    const hi = Math.floor((representative * ACCURACY_DENOMINATOR) / (ACCURACY_DENOMINATOR - ACCURACY_NUMERATOR));
    lows.push(lo);
    representatives.push(representative);
    lo = hi + 1;
  }
  return { lows, representatives };
}

const { lows, representatives } = buildBuckets();

/** The lowest whole millisecond of each bucket, ascending; bucket 0 holds 0 ms only. */
export const SKETCH_LOWS: readonly number[] = lows;
export const SKETCH_BUCKETS = lows.length;

/**
 * The bucket of a duration in ms (fractions are floored; negatives count as 0).
 *
 * @example sketchBucket(1_200) === sketchBucket(1_205) // true: both within 1% of one value
 */
export function sketchBucket(ms: number): number {
  const value = Math.max(0, Math.floor(ms));
  let low = 0;
  let high = lows.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lows[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The value a bucket answers for: within `RELATIVE_ACCURACY` of every duration in it.
 *
 * @example bucketValue(sketchBucket(1_200)) // 1_200 +- 12
 */
export function bucketValue(bucket: number): number {
  return representatives[bucket] ?? representatives.at(-1)!;
}

export const SKETCH_METRIC = 'duration_sketch';

/**
 * The aggregate dim of one feature's bucket: the bucket first, so a name with any characters
 * parses back.
 *
 * @example sketchDim('report.exported', 412) // '412:report.exported'
 */
export function sketchDim(name: string, bucket: number): string {
  return `${bucket}:${name}`;
}

/** The feature and bucket of a `duration_sketch` dim, or undefined when it is not one. */
export function parseSketchDim(dim: string): { name: string; bucket: number } | undefined {
  const colon = dim.indexOf(':');
  if (colon < 1) return undefined;
  const bucket = Number(dim.slice(0, colon));
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= SKETCH_BUCKETS) return undefined;
  return { name: dim.slice(colon + 1), bucket };
}
