/**
 * Session-duration distribution and the feature table. Percentiles come from duration
 * sketches (`aggregates/duration-sketch.ts`) and are stated with their relative accuracy.
 * k-anonymity: a session histogram bin is shown only when k people stand behind it, and the
 * session percentiles are read from the shown bins' sessions only (rule 2 of `k-anonymity.ts`);
 * a feature is one cell, shown only when k people used it, and its timings (mean and
 * percentiles) only when k people stand behind its timed events.
 */
import type { RangeSum, SessionDurations } from '../store/stats-store.js';
import { DURATION_EDGES } from '../aggregates/duration-bins.js';
import { parseSketchDim, RELATIVE_ACCURACY, SKETCH_METRIC } from '../aggregates/duration-sketch.js';
import { reportable } from './k-anonymity.js';
import { addToSketch, sketchQuantile } from './sketch-quantile.js';

export interface SessionDistribution {
  readonly sessions: number;
  /** Distinct people behind the shown bins' sessions. */
  readonly users: number;
  /** Every percentile is within this fraction of the true one (nearest rank). */
  readonly relativeAccuracy: number;
  readonly medianMs: number | null;
  readonly p75Ms: number | null;
  readonly p90Ms: number | null;
  readonly histogram: { readonly fromMs: number; readonly toMs: number | null; readonly sessions: number | null; readonly suppressed: boolean }[];
}

/**
 * @example computeSessionDistribution({ bins: [{ bin: 9, sessions: 12, subjects: 6, sketch }], shownSubjects: 6 }, 5).medianMs // within 1% of the true median
 */
export function computeSessionDistribution({ bins, shownSubjects }: SessionDurations, k: number): SessionDistribution {
  const sketch = new Map<number, number>();
  let sessions = 0;
  const histogram = DURATION_EDGES.map((fromMs, bin) => {
    const row = bins.find((candidate) => candidate.bin === bin);
    const visible = row !== undefined && reportable(row.subjects, k);
    if (visible) {
      sessions += row.sessions;
      for (const [bucket, count] of row.sketch) addToSketch(sketch, bucket, count);
    }
    // An empty bin is computed from nobody: shown as 0 only when it is empty, else hidden.
    return { fromMs, toMs: DURATION_EDGES[bin + 1] ?? null, sessions: row === undefined ? 0 : visible ? row.sessions : null, suppressed: row !== undefined && !visible };
  });
  return {
    sessions,
    users: shownSubjects,
    relativeAccuracy: RELATIVE_ACCURACY,
    medianMs: sketchQuantile(sketch, 0.5),
    p75Ms: sketchQuantile(sketch, 0.75),
    p90Ms: sketchQuantile(sketch, 0.9),
    histogram,
  };
}

export interface FeatureRow {
  readonly name: string;
  readonly events: number;
  readonly users: number;
  readonly timed: number;
  /** Null when never timed (`timed` is 0) or when fewer than k people timed it (`timingHidden`). */
  readonly meanMs: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  /** Timed, but by fewer than k people: the timings are hidden, not missing. */
  readonly timingHidden: boolean;
}

export interface FeatureTable {
  /** Every percentile is within this fraction of the true one (nearest rank). */
  readonly relativeAccuracy: number;
  readonly features: FeatureRow[];
  /** Features used by fewer than k people: neither named nor counted. */
  readonly suppressedFeatures: number;
  /** Events of the listed features only. */
  readonly totalEvents: number;
}

/** The features a range's sums name (every timed event is an event, so `events` names them all). */
export function featureNames(rows: readonly RangeSum[]): string[] {
  return [...new Set(rows.filter((row) => row.metric === 'events').map((row) => row.dim))];
}

/**
 * @example computeFeatures(rows, new Map([['report.exported', 7]]), new Map([['report.exported', 6]]), 5).features[0].p50Ms // within 1%
 */
export function computeFeatures(rows: readonly RangeSum[], users: ReadonlyMap<string, number>, timedUsers: ReadonlyMap<string, number>, k: number): FeatureTable {
  const byName = new Map<string, { events: number; timed: number; durationMs: number; sketch: Map<number, number> }>();
  const entryOf = (name: string) => {
    let entry = byName.get(name);
    if (!entry) byName.set(name, (entry = { events: 0, timed: 0, durationMs: 0, sketch: new Map() }));
    return entry;
  };
  for (const row of rows) {
    if (row.metric === SKETCH_METRIC) {
      const cell = parseSketchDim(row.dim);
      if (cell) addToSketch(entryOf(cell.name).sketch, cell.bucket, row.value);
    } else if (row.metric === 'events') entryOf(row.dim).events += row.value;
    else if (row.metric === 'timed') entryOf(row.dim).timed += row.value;
    else if (row.metric === 'duration_ms') entryOf(row.dim).durationMs += row.value;
  }
  const features: FeatureRow[] = [];
  let suppressedFeatures = 0;
  for (const [name, entry] of byName) {
    const n = users.get(name) ?? 0;
    if (!reportable(n, k)) {
      suppressedFeatures++;
      continue;
    }
    const timingHidden = entry.timed > 0 && !reportable(timedUsers.get(name), k);
    const timings = entry.timed > 0 && !timingHidden;
    features.push({
      name,
      events: entry.events,
      users: n,
      timed: entry.timed,
      meanMs: timings ? Math.round(entry.durationMs / entry.timed) : null,
      p50Ms: timings ? sketchQuantile(entry.sketch, 0.5) : null,
      p90Ms: timings ? sketchQuantile(entry.sketch, 0.9) : null,
      timingHidden,
    });
  }
  features.sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
  return { relativeAccuracy: RELATIVE_ACCURACY, features, suppressedFeatures, totalEvents: features.reduce((sum, f) => sum + f.events, 0) };
}
