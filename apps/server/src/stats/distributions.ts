/**
 * Session-duration distribution and the feature table: histograms with k-anonymity per bin
 * (sessions) or per feature, and percentiles over the visible part only.
 */
import type { RangeSum, SessionBin } from '../store/stats-store.js';
import { binOfMetric, DURATION_EDGES } from '../aggregates/duration-bins.js';
import { histogramQuantile } from './histogram.js';
import { reportable } from './k-anonymity.js';

export interface SessionDistribution {
  readonly sessions: number;
  readonly medianMs: number | null;
  readonly p75Ms: number | null;
  readonly p90Ms: number | null;
  readonly histogram: { readonly fromMs: number; readonly toMs: number | null; readonly sessions: number | null; readonly suppressed: boolean }[];
}

/**
 * @example computeSessionDistribution([{ bin: 9, sessions: 12, subjects: 6 }], 5).medianMs // 60_000 + 60_000 * 6/12
 */
export function computeSessionDistribution(bins: readonly SessionBin[], k: number): SessionDistribution {
  const counts = DURATION_EDGES.map(() => 0);
  const histogram = DURATION_EDGES.map((fromMs, bin) => {
    const row = bins.find((candidate) => candidate.bin === bin);
    const visible = row !== undefined && reportable(row.subjects, k);
    if (visible) counts[bin] = row.sessions;
    // An empty bin is computed from nobody: shown as 0 only when it is empty, else hidden.
    return { fromMs, toMs: DURATION_EDGES[bin + 1] ?? null, sessions: row === undefined ? 0 : visible ? row.sessions : null, suppressed: row !== undefined && !visible };
  });
  return {
    sessions: counts.reduce((sum, count) => sum + count, 0),
    medianMs: histogramQuantile(counts, 0.5),
    p75Ms: histogramQuantile(counts, 0.75),
    p90Ms: histogramQuantile(counts, 0.9),
    histogram,
  };
}

export interface FeatureRow {
  readonly name: string;
  readonly events: number;
  readonly users: number;
  readonly timed: number;
  readonly meanMs: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
}

export interface FeatureTable {
  readonly features: FeatureRow[];
  /** Features used by fewer than k people: neither named nor counted. */
  readonly suppressedFeatures: number;
  /** Events of the listed features only. */
  readonly totalEvents: number;
}

/**
 * @example computeFeatures(rows, new Map([['report.exported', 7]]), 5).features[0].name // 'report.exported'
 */
export function computeFeatures(rows: readonly RangeSum[], users: ReadonlyMap<string, number>, k: number): FeatureTable {
  const byName = new Map<string, { events: number; timed: number; durationMs: number; bins: number[] }>();
  for (const row of rows) {
    let entry = byName.get(row.dim);
    if (!entry) byName.set(row.dim, (entry = { events: 0, timed: 0, durationMs: 0, bins: DURATION_EDGES.map(() => 0) }));
    const bin = binOfMetric(row.metric);
    if (bin !== undefined) entry.bins[bin]! += row.value;
    else if (row.metric === 'events') entry.events += row.value;
    else if (row.metric === 'timed') entry.timed += row.value;
    else if (row.metric === 'duration_ms') entry.durationMs += row.value;
  }
  const features: FeatureRow[] = [];
  let suppressedFeatures = 0;
  for (const [name, entry] of byName) {
    const n = users.get(name) ?? 0;
    if (!reportable(n, k)) {
      suppressedFeatures++;
      continue;
    }
    features.push({
      name,
      events: entry.events,
      users: n,
      timed: entry.timed,
      meanMs: entry.timed > 0 ? Math.round(entry.durationMs / entry.timed) : null,
      p50Ms: histogramQuantile(entry.bins, 0.5),
      p90Ms: histogramQuantile(entry.bins, 0.9),
    });
  }
  features.sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
  return { features, suppressedFeatures, totalEvents: features.reduce((sum, f) => sum + f.events, 0) };
}
