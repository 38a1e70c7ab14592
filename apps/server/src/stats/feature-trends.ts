/**
 * Feature use over time: per local day or week of a range, each listed feature's events and
 * distinct users. k-anonymity as everywhere: a feature is named only when k people used it
 * over the whole range (as in the feature table), and each of its cells is shown only when k
 * people stand behind that cell; a hidden cell's figures are null.
 */
import type { RangeSum } from '../store/stats-store.js';
import type { LocalBucket } from './buckets.js';
import { reportable } from './k-anonymity.js';

export interface FeatureTrendCell {
  readonly name: string;
  readonly events: number | null;
  readonly users: number | null;
  readonly suppressed: boolean;
}

export interface FeatureTrendBucket {
  readonly start: string;
  readonly cells: readonly FeatureTrendCell[];
}

/** The key of one feature in one bucket, for the distinct-user counts. */
export const trendKey = (bucket: number, name: string) => `${bucket}\u0000${name}`;

/**
 * @example computeFeatureTrends(buckets, sums, users, ['report.exported'], 5)[0].cells[0] // { name, events: 12, users: 6, suppressed: false }
 */
export function computeFeatureTrends(
  buckets: readonly LocalBucket[],
  sums: readonly (readonly RangeSum[])[],
  users: ReadonlyMap<string, number>,
  names: readonly string[],
  k: number,
): FeatureTrendBucket[] {
  return buckets.map((bucket, index) => ({
    start: bucket.label,
    cells: names.map((name) => {
      const n = users.get(trendKey(index, name)) ?? 0;
      const events = sums[index]!.filter((row) => row.metric === 'events' && row.dim === name).reduce((sum, row) => sum + row.value, 0);
      // A bucket nobody used the feature in is computed from nobody: 0, not hidden.
      if (n === 0 && events === 0) return { name, events: 0, users: 0, suppressed: false };
      const visible = reportable(n, k);
      return { name, events: visible ? events : null, users: visible ? n : null, suppressed: !visible };
    }),
  }));
}
