/**
 * The 7 x 24 hour-of-week heatmap: for each local weekday and hour, the mean of the hourly
 * active users over the instances of that local hour in the period. DST makes instances
 * uneven: a fall-back Sunday has two 02:00 hours (both counted, as two instances), a
 * spring-forward Sunday none (one instance fewer), so a mean is never inflated or diluted by
 * a clock change.
 */
import type { HourlySum, KeyedRange } from '../store/stats-store.js';
import { reportable } from './k-anonymity.js';
import { HOUR_MS, localParts, WEEKDAY_NAMES } from './time-zone.js';


/** Cell index: (ISO weekday - 1) * 24 + local hour. */
export function cellOf(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return (p.weekday - 1) * 24 + p.hour;
}

/**
 * Every UTC hour bucket starting in [from, to), grouped by the local hour-of-week cell its
 * start falls in. In a zone whose offset is not a whole number of hours (Asia/Kolkata), local
 * hours start on the half hour and each holds the UTC hour that starts inside it.
 */
export function hourInstances(from: number, to: number, tz: string): number[][] {
  const cells = Array.from({ length: 168 }, (): number[] => []);
  for (let hour = Math.ceil(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) cells[cellOf(hour, tz)]!.push(hour);
  return cells;
}

/** The distinct-subject ranges of each cell (key = cell index), for the k check. */
export function heatmapRanges(instances: readonly number[][], purpose: string): KeyedRange[] {
  return instances.flatMap((hours, cell) => hours.map((hour) => ({ key: String(cell), purpose, from: hour, to: hour + HOUR_MS })));
}

export interface HeatmapCell {
  readonly day: (typeof WEEKDAY_NAMES)[number];
  readonly hour: number;
  /** Mean active users per instance, two decimals; null when suppressed. */
  readonly mean: number | null;
  readonly instances: number;
  readonly suppressed: boolean;
}

/**
 * @example computeHeatmap(instances, subjectRows, distinctPerCell, 5)[0] // { day: 'Mon', hour: 0, mean: 0.5, instances: 8, ... }
 */
export function computeHeatmap(
  instances: readonly number[][],
  subjectRows: readonly HourlySum[],
  distinct: ReadonlyMap<string, number>,
  k: number,
): HeatmapCell[] {
  const perHour = new Map<number, number>();
  for (const row of subjectRows) if (row.metric === 'subjects') perHour.set(row.bucket, (perHour.get(row.bucket) ?? 0) + row.value);
  return instances.map((hours, cell) => {
    const total = hours.reduce((sum, hour) => sum + (perHour.get(hour) ?? 0), 0);
    const visible = hours.length > 0 && reportable(distinct.get(String(cell)) ?? 0, k);
    return {
      day: WEEKDAY_NAMES[Math.floor(cell / 24)]!,
      hour: cell % 24,
      mean: visible ? Math.round((total / hours.length) * 100) / 100 : null,
      instances: hours.length,
      suppressed: !visible,
    };
  });
}
