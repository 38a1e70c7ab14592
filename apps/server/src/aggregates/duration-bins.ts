/**
 * Duration bins with fixed, human-readable edges. The aggregate plan keeps one counter per
 * bin (metric `duration_bin:NN`), so durations can be summed across hours and percentiles
 * read long after the raw events are gone (`stats/histogram.ts` reads them). The writer and
 * the readers must agree on the edges and the names, so both live here.
 */

/** Bin lower edges in ms; bin i is [EDGES[i], EDGES[i + 1]), the last one open. */
export const DURATION_EDGES: readonly number[] = [
  0, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
  7_200_000, 14_400_000,
];

const DURATION_BIN_PREFIX = 'duration_bin:';

/** The aggregate metric of one duration bin: `duration_bin:00` to `duration_bin:17`. */
export type DurationBinMetric = `${typeof DURATION_BIN_PREFIX}${string}`;

/** @example durationBin(420) // 2 */
export function durationBin(ms: number): number {
  let bin = 0;
  while (bin + 1 < DURATION_EDGES.length && ms >= DURATION_EDGES[bin + 1]!) bin++;
  return bin;
}

/**
 * The aggregate metric name of a bin, zero-padded so metrics sort in bin order.
 *
 * @example durationBinMetric(2) // 'duration_bin:02'
 */
export function durationBinMetric(bin: number): DurationBinMetric {
  return `${DURATION_BIN_PREFIX}${String(bin).padStart(2, '0')}`;
}

/** Every bin's metric name, for reads that want the whole histogram. */
export const DURATION_BIN_METRICS: readonly DurationBinMetric[] = DURATION_EDGES.map((_, bin) => durationBinMetric(bin));

/**
 * The bin of a `duration_bin:NN` metric, or undefined for any other metric.
 *
 * @example binOfMetric('duration_bin:17') // 17
 */
export function binOfMetric(metric: string): number | undefined {
  if (!metric.startsWith(DURATION_BIN_PREFIX)) return undefined;
  const bin = Number(metric.slice(DURATION_BIN_PREFIX.length));
  return Number.isInteger(bin) && bin >= 0 && bin < DURATION_EDGES.length ? bin : undefined;
}
