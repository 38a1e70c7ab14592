/**
 * Usage over time: per local hour, day or week, the active users, sessions started, active
 * time and events, with k-anonymity applied per bucket and totals over visible buckets only.
 */
import type { MetricName } from '../aggregates/metrics.js';
import { HOUR_MS } from '../aggregates/time-units.js';
import type { HourlySeries } from '../store/stats-store.js';
import { sumPerBucket, type LocalBucket, type StatsGrain } from './buckets.js';
import { reportable, shown, visibleSum } from './k-anonymity.js';

/** The summed metrics; active users come from the subject sets instead (see `computeUsageBuckets`). */
export const USAGE_METRICS = ['sessions', 'active_ms', 'events'] as const satisfies readonly MetricName[];

export interface UsageBucket {
  readonly start: string;
  readonly hours: number;
  readonly activeUsers: number | null;
  readonly sessions: number | null;
  readonly activeMs: number | null;
  readonly events: number | null;
  readonly suppressed: boolean;
}

export interface UsageTotals {
  /** Distinct over the visible buckets' time together (the union of their subject sets). */
  readonly activeUsers: number | null;
  readonly sessions: number;
  readonly activeMs: number;
  readonly events: number;
  readonly suppressedBuckets: number;
}

/**
 * Figures per bucket from the hourly series of `USAGE_METRICS`. `users` gives the distinct
 * subjects of each bucket by index, from activity (for an hour bucket the same number as its
 * `subjects` aggregate).
 *
 * @example computeUsageBuckets(buckets, series, 5, [6]) // [{ start: '2026-10-25T00:00+02:00', hours: 25, activeUsers: 6, ... }]
 */
export function computeUsageBuckets(
  buckets: readonly LocalBucket[],
  series: readonly HourlySeries[],
  k: number,
  users: readonly number[],
): UsageBucket[] {
  const sums = (metric: MetricName) => {
    const found = series.find((entry) => entry.metric === metric);
    return found ? sumPerBucket(buckets, found) : buckets.map(() => 0);
  };
  const [sessions, activeMs, events] = [sums('sessions'), sums('active_ms'), sums('events')];
  return buckets.map((bucket, index) => {
    const visible = reportable(users[index], k);
    return {
      start: bucket.label,
      hours: Math.round((bucket.end - bucket.start) / HOUR_MS),
      activeUsers: shown(users[index] ?? 0, visible),
      sessions: shown(sessions[index]!, visible),
      activeMs: shown(activeMs[index]!, visible),
      events: shown(events[index]!, visible),
      suppressed: !visible,
    };
  });
}

export function usageTotals(cells: readonly UsageBucket[], totalUsers: number | undefined, k: number): UsageTotals {
  return {
    activeUsers: reportable(totalUsers, k) ? totalUsers! : null,
    sessions: visibleSum(cells, (cell) => cell.sessions),
    activeMs: visibleSum(cells, (cell) => cell.activeMs),
    events: visibleSum(cells, (cell) => cell.events),
    suppressedBuckets: cells.filter((cell) => cell.suppressed).length,
  };
}

export type { StatsGrain };
