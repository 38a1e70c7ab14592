/**
 * Sums of an hourly series over ranges of time, each in constant time from prefix sums: the
 * update-window advice sums every candidate's occurrences, 168 slots x 12 weeks x 3 hours
 * and more a request, which map lookups per hour made a visible part of it.
 */
import type { HourlySeries } from '../store/stats-store.js';
import { HOUR_MS } from '../aggregates/time-units.js';

/**
 * A function summing `series` over the hour buckets that start in [start, end), for ranges
 * within [from, to) (hours outside it count as empty). Range edges need not be on the hour:
 * in a zone such as Asia/Kolkata a local hour holds the UTC hour that starts inside it.
 *
 * @example hourSums({ metric: 'sessions', buckets: [0, HOUR_MS], values: [2, 3] }, 0, 2 * HOUR_MS)(0, HOUR_MS * 1.5) // 5
 */
export function hourSums(series: Pick<HourlySeries, 'buckets' | 'values'>, from: number, to: number): (start: number, end: number) => number {
  const base = Math.floor(from / HOUR_MS) * HOUR_MS;
  const hours = Math.max(0, Math.ceil((to - base) / HOUR_MS));
  // prefix[i]: the sum over the first i hours from `base`.
  const prefix = new Float64Array(hours + 1);
  for (let index = 0; index < series.buckets.length; index++) {
    const at = (series.buckets[index]! - base) / HOUR_MS;
    if (Number.isInteger(at) && at >= 0 && at < hours) prefix[at + 1] = prefix[at + 1]! + series.values[index]!;
  }
  for (let hour = 0; hour < hours; hour++) prefix[hour + 1] = prefix[hour + 1]! + prefix[hour]!;
  // The number of hours from `base` that start before `time`.
  const before = (time: number) => Math.min(hours, Math.max(0, Math.ceil((time - base) / HOUR_MS)));
  return (start, end) => (end > start ? prefix[before(end)]! - prefix[before(start)]! : 0);
}
