/**
 * Percentiles from the duration histograms the aggregates keep (one counter per bin, see
 * `aggregates/duration-bins.ts`), so they can be read long after the raw events are gone. A
 * percentile is interpolated linearly inside its bin: exact at bin edges, and never off by
 * more than the bin's width.
 */
import { DURATION_EDGES } from '../aggregates/duration-bins.js';

/**
 * The p-quantile (0 < p <= 1) of a histogram by nearest rank, interpolated inside the bin:
 * rank r = ceil(p * n) falls in bin i holding c values after `below` smaller ones, and the
 * answer is lo + (hi - lo) * (r - below) / c. The open last bin answers its lower edge.
 *
 * @example histogramQuantile([0, 0, 2], 0.5) // 250 + 250 * 1/2 = 375
 */
export function histogramQuantile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let below = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const count = counts[bin] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lo = DURATION_EDGES[bin]!;
      const hi = DURATION_EDGES[bin + 1];
      if (hi === undefined) return lo;
      return Math.round(lo + ((hi - lo) * (rank - below)) / count);
    }
    below += count;
  }
  return null;
}

/** Bins as labelled rows for people and charts: `{ from: 250, to: 500, count }`. */
export function histogramRows(counts: readonly number[]): { from: number; to: number | null; count: number }[] {
  return DURATION_EDGES.map((from, bin) => ({ from, to: DURATION_EDGES[bin + 1] ?? null, count: counts[bin] ?? 0 }));
}
