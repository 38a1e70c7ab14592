/**
 * Duration histograms with fixed, human-readable bin edges. Aggregates keep one counter per
 * bin (metric `duration_bin:NN`), so durations can be summed across hours and percentiles read
 * long after the raw events are gone. A percentile is interpolated linearly inside its bin:
 * exact at bin edges, and never off by more than the bin's width.
 */

/** Bin lower edges in ms; bin i is [EDGES[i], EDGES[i + 1]), the last one open. */
export const DURATION_EDGES: readonly number[] = [
  0, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
  7_200_000, 14_400_000,
];

export const DURATION_BIN_PREFIX = 'duration_bin:';

/** @example durationBin(420) // 2 */
export function durationBin(ms: number): number {
  let bin = 0;
  while (bin + 1 < DURATION_EDGES.length && ms >= DURATION_EDGES[bin + 1]!) bin++;
  return bin;
}

/** The aggregate metric name of a bin, zero-padded so metrics sort in bin order. */
export function durationBinMetric(bin: number): string {
  return `${DURATION_BIN_PREFIX}${String(bin).padStart(2, '0')}`;
}

/** Every bin's metric name, for reads that want the whole histogram. */
export const DURATION_BIN_METRICS: readonly string[] = DURATION_EDGES.map((_, bin) => durationBinMetric(bin));

/** The bin of a `duration_bin:NN` metric, or undefined for any other metric. */
export function binOfMetric(metric: string): number | undefined {
  if (!metric.startsWith(DURATION_BIN_PREFIX)) return undefined;
  const bin = Number(metric.slice(DURATION_BIN_PREFIX.length));
  return Number.isInteger(bin) && bin >= 0 && bin < DURATION_EDGES.length ? bin : undefined;
}

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
