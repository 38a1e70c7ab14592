/**
 * The session-duration histogram's bins, with fixed, human-readable edges: what the sessions
 * answer shows per bin, each bin held to k people on its own. Percentiles no longer come from
 * these (see `duration-sketch.ts`); until migration 0008 (SQLite) / 0006 (PostgreSQL), feature
 * durations were kept in these bins too, and the migrations carry those counts over.
 */

/** Bin lower edges in ms; bin i is [EDGES[i], EDGES[i + 1]), the last one open. */
export const DURATION_EDGES: readonly number[] = [
  0, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000, 3_600_000,
  7_200_000, 14_400_000,
];

/**
 * The bin of a duration in ms.
 *
 * @example durationBin(420) // 2: [250, 500)
 */
export function durationBin(ms: number): number {
  let bin = 0;
  while (bin + 1 < DURATION_EDGES.length && ms >= DURATION_EDGES[bin + 1]!) bin++;
  return bin;
}
