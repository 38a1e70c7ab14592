/**
 * Local reporting buckets over UTC hour aggregates. An hour bucket is one UTC hour labelled
 * with its local start (so a fall-back night shows 02:00+02:00 then 02:00+01:00, and a
 * spring-forward night has no 02:00); a day runs from local midnight to local midnight (23,
 * 24 or 25 hours); a week from local Monday 00:00. In zones whose offset is not a whole
 * number of hours, an hour of aggregates belongs to the local bucket its UTC start falls in.
 */
import { HOUR_MS } from '../aggregates/time-units.js';
import { addLocalDays, formatLocal, startOfLocalDay, startOfLocalWeek } from './time-zone.js';

export const STATS_GRAINS = ['hour', 'day', 'week'] as const;
export type StatsGrain = (typeof STATS_GRAINS)[number];

/** More buckets than a chart or a terminal can show is a mistake in the request. */
export const MAX_BUCKETS = 2_000;

export interface LocalBucket {
  /** UTC ms, inclusive. */
  readonly start: number;
  /** UTC ms, exclusive. */
  readonly end: number;
  /** Local start with offset, e.g. `2026-10-25T00:00+02:00`. */
  readonly label: string;
}

/**
 * The buckets of `grain` in `tz` that cover [from, to); day and week buckets start at the
 * local day or week that contains `from`. Undefined when there would be more than MAX_BUCKETS.
 *
 * @example localBuckets(Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23), 'day', 'Europe/Brussels')
 * // [{ start: Date.UTC(2026, 9, 24, 22), end: Date.UTC(2026, 9, 25, 23), label: '2026-10-25T00:00+02:00' }]  (25 hours)
 */
export function localBuckets(from: number, to: number, grain: StatsGrain, tz: string): LocalBucket[] | undefined {
  const out: LocalBucket[] = [];
  if (grain === 'hour') {
    if ((to - from) / HOUR_MS > MAX_BUCKETS + 1) return undefined;
    for (let start = Math.floor(from / HOUR_MS) * HOUR_MS; start < to; start += HOUR_MS) {
      out.push({ start, end: start + HOUR_MS, label: formatLocal(start, tz) });
    }
    return out;
  }
  const step = grain === 'day' ? 1 : 7;
  let start = grain === 'day' ? startOfLocalDay(from, tz) : startOfLocalWeek(from, tz);
  while (start < to) {
    if (out.length >= MAX_BUCKETS) return undefined;
    const end = addLocalDays(start, step, tz);
    out.push({ start, end, label: formatLocal(start, tz) });
    start = end;
  }
  return out;
}

/**
 * Sums an hourly series (sorted by bucket) into the buckets that contain its hours, in one
 * pass; hours outside every bucket are left out.
 *
 * @example sumPerBucket(dayBuckets, { metric: 'sessions', buckets: [h0, h1], values: [2, 3] }) // [5, 0, ...]
 */
export function sumPerBucket(buckets: readonly LocalBucket[], series: { readonly buckets: readonly number[]; readonly values: readonly number[] }): number[] {
  const sums = buckets.map(() => 0);
  let index = 0;
  for (let row = 0; row < series.buckets.length; row++) {
    const hour = series.buckets[row]!;
    while (index < buckets.length && hour >= buckets[index]!.end) index++;
    if (index >= buckets.length) break;
    if (hour >= buckets[index]!.start) sums[index]! += series.values[row]!;
  }
  return sums;
}
