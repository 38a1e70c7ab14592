/**
 * The 7 x 24 hour-of-week heatmap: for each local weekday and hour, the mean of the hourly
 * active users over the instances of that local hour in the period. DST makes instances
 * uneven: a fall-back Sunday has two 02:00 hours (both counted, as two instances), a
 * spring-forward Sunday none (one instance fewer), so a mean is never inflated or diluted by
 * a clock change.
 */
import type { HourlySeries, KeyedRange } from '../store/stats-store.js';
import { reportable } from './k-anonymity.js';
import { HOUR_MS, HOURS_PER_DAY, HOURS_PER_WEEK } from '../aggregates/time-units.js';
import { localParts, WEEKDAY_NAMES } from './time-zone.js';


/** Cell index: (ISO weekday - 1) * 24 + local hour. */
export function cellOf(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return (p.weekday - 1) * HOURS_PER_DAY + p.hour;
}

/**
 * Every UTC hour bucket starting in [from, to), grouped by the local hour-of-week cell its
 * start falls in. In a zone whose offset is not a whole number of hours (Asia/Kolkata), local
 * hours start on the half hour and each holds the UTC hour that starts inside it.
 */
export function hourInstances(from: number, to: number, tz: string): number[][] {
  const cells = Array.from({ length: HOURS_PER_WEEK }, (): number[] => []);
  for (let hour = Math.ceil(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) cells[cellOf(hour, tz)]!.push(hour);
  return cells;
}

/** Active users per UTC hour, from the hourly `subjects` series. */
export function subjectsPerHour(series: HourlySeries): Map<number, number> {
  const perHour = new Map<number, number>();
  for (let index = 0; index < series.buckets.length; index++) perHour.set(series.buckets[index]!, series.values[index]!);
  return perHour;
}

const busiestHour = (hours: readonly number[], perHour: ReadonlyMap<number, number>) => hours.reduce((most, hour) => Math.max(most, perHour.get(hour) ?? 0), 0);

/**
 * The distinct-subject ranges (key = cell index) the k check still needs. A cell with one
 * hour of k subjects has at least k distinct ones, and a cell with nobody in any hour has
 * none: only the cells between are counted over their hours together.
 */
export function heatmapRanges(instances: readonly number[][], perHour: ReadonlyMap<number, number>, k: number, purpose: string): KeyedRange[] {
  return instances.flatMap((hours, cell) => {
    const busiest = busiestHour(hours, perHour);
    if (busiest === 0 || reportable(busiest, k)) return [];
    return hours.map((hour) => ({ key: String(cell), purpose, from: hour, to: hour + HOUR_MS }));
  });
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
 * A cell is shown when k distinct subjects were active in its hours: one hour of k, or all
 * of them together (`distinct`, counted for the cells `heatmapRanges` named).
 *
 * @example computeHeatmap(instances, perHour, distinctPerCell, 5)[0] // { day: 'Mon', hour: 0, mean: 0.5, instances: 8, ... }
 */
export function computeHeatmap(
  instances: readonly number[][],
  perHour: ReadonlyMap<number, number>,
  distinct: ReadonlyMap<string, number>,
  k: number,
): HeatmapCell[] {
  return instances.map((hours, cell) => {
    const total = hours.reduce((sum, hour) => sum + (perHour.get(hour) ?? 0), 0);
    const visible = hours.length > 0 && (reportable(busiestHour(hours, perHour), k) || reportable(distinct.get(String(cell)) ?? 0, k));
    return {
      day: WEEKDAY_NAMES[Math.floor(cell / HOURS_PER_DAY)]!,
      hour: cell % HOURS_PER_DAY,
      mean: visible ? Math.round((total / hours.length) * 100) / 100 : null,
      instances: hours.length,
      suppressed: !visible,
    };
  });
}
