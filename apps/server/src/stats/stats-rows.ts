/**
 * Each statistic's answer as flat rows: what `?format=csv` on the statistics routes, the
 * dashboard's CSV downloads and `heed stats --format csv|table` all print, written once so a
 * download and the CLI never disagree with the API. Two kinds of missing figure stay apart:
 * `null` is hidden (fewer than k people: k-anonymity), `NOT_MEASURED` is a figure nothing was
 * recorded for (a feature never timed has no percentiles; a range without sessions has no
 * median). CSV leaves both empty and says which in a `hidden` column where a row can be hidden.
 */
import type { featureStats, featureTrends, heatmapStats, sessionStats, updateWindows, usageStats } from './stats-service.js';

/** A figure nothing was recorded for: printed `-` in tables, never `<k`. */
export const NOT_MEASURED = Symbol('not measured');

export type RowValue = string | number | boolean | null | typeof NOT_MEASURED;
export type Row = Record<string, RowValue>;

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);
const measured = <T>(value: T | null, wasMeasured: boolean): T | null | typeof NOT_MEASURED => (wasMeasured ? value : NOT_MEASURED);

type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export function usageRows(result: Answer<typeof usageStats>): Row[] {
  return result.buckets.map((b) => ({ start: b.start, users: b.activeUsers, sessions: b.sessions, active_min: minutes(b.activeMs), events: b.events, hidden: b.suppressed }));
}

export function sessionRows(result: Answer<typeof sessionStats>): Row[] {
  return result.histogram.map((b) => ({ from_s: b.fromMs / 1000, to_s: b.toMs === null ? 'more' : b.toMs / 1000, sessions: b.sessions, hidden: b.suppressed }));
}

export function featureRows(result: Answer<typeof featureStats>): Row[] {
  return result.features.map((f) => ({
    feature: f.name, events: f.events, users: f.users, timed: f.timed,
    mean_ms: measured(f.meanMs, f.timed > 0), p50_ms: measured(f.p50Ms, f.timed > 0), p90_ms: measured(f.p90Ms, f.timed > 0), timing_hidden: f.timingHidden,
  }));
}

export function trendRows(result: Answer<typeof featureTrends>): Row[] {
  return result.buckets.flatMap((b) => b.cells.map((c) => ({ start: b.start, feature: c.name, events: c.events, users: c.users, hidden: c.suppressed })));
}

export function heatmapRows(result: Answer<typeof heatmapStats>): Row[] {
  return result.cells.map((c) => ({ day: c.day, hour: c.hour, mean: c.mean, instances: c.instances, hidden: c.suppressed }));
}

export function windowRows(result: Answer<typeof updateWindows>): Row[] {
  return result.windows.map((w) => ({
    rank: w.rank, window: `${w.day} ${w.start}-${w.end}`, next: w.next, users: w.users, sessions: w.sessions,
    share_pct: w.share === null ? null : Math.round(w.share * 10_000) / 100, weeks: w.weeksObserved, hidden: w.suppressed,
  }));
}

/**
 * RFC 4180 CSV with a header line; hidden and unmeasured figures are empty, so tools never
 * mistake them for zero (the `hidden` column tells them apart).
 *
 * @example csv([{ a: 1, b: null }]) // 'a,b\n1,\n'
 */
export function csv(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const quote = (value: RowValue | undefined) => {
    const text = value === null || value === undefined || value === NOT_MEASURED ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[columns.join(','), ...rows.map((row) => columns.map((column) => quote(row[column])).join(','))].join('\n')}\n`;
}
