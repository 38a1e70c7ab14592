/**
 * `rangeSums` on PostgreSQL: a purpose's metrics per dimension over a range, whole UTC days
 * from the day-grain counters and the partial days at either end from hours (as on SQLite).
 * Read whole, the 84 days of 12 weeks cost a heap page per counter row (each day's rows lie
 * among the hours written beside them): 8 ms for the features route's four metrics. As in
 * `mark-counts.ts`, the day counters' slot 0 is kept in memory per metric, tagged with the
 * `counters_epoch` it was read under; a request reads the epoch, the writer slots' day rows
 * and the hours at either end, and slot 0 again only when the epoch moved.
 */
import type { Sql } from 'postgres';
import type { MetricName } from '../../../aggregates/metrics.js';
import { DAY_MS } from '../../../aggregates/time-units.js';
import type { RangeSum } from '../../stats-store.js';
import { integerArray } from '../int-arrays.js';

/** Slot 0 of one metric's day counters, from day `from` on, in (bucket, dim) order. */
interface FoldedDays {
  readonly epoch: number;
  readonly from: number;
  readonly buckets: readonly number[];
  readonly dims: readonly string[];
  readonly values: readonly number[];
}

/** Text in byte order, as PostgreSQL's "C" collation and SQLite compare it. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** How often a read may find the epoch moved under it before it sums every slot instead. */
const ATTEMPTS = 3;

/**
 * @example const rangeSums = createRangeSums(sql); await rangeSums('p_1', 'statistics', from, to, ['events'])
 */
export function createRangeSums(sql: Sql<Record<string, never>>) {
  const kept = new Map<string, FoldedDays>();
  const keyOf = (projectId: string, purpose: string, metric: string) => `${projectId}\u0000${purpose}\u0000${metric}`;

  /** Reads and keeps slot 0 of the day counters of `metrics` from `firstDay` on. */
  async function keepFolded(projectId: string, purpose: string, metrics: readonly string[], firstDay: number) {
    const rows = await sql<{ metric: string; epoch: number; buckets: string | null; dims: string[] | null; sums: string | null }[]>`
      SELECT m.metric, (SELECT counters_epoch FROM projects WHERE id = ${projectId}) AS epoch, f.buckets, f.dims, f.sums
      FROM unnest(${metrics as string[]}::text[]) AS m(metric) CROSS JOIN LATERAL (
        SELECT array_agg(bucket ORDER BY bucket, dim COLLATE "C")::text AS buckets, array_agg(dim ORDER BY bucket, dim COLLATE "C") AS dims,
          array_agg(value ORDER BY bucket, dim COLLATE "C")::text AS sums
        FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND metric = m.metric AND grain = 'day' AND slot = 0 AND bucket >= ${firstDay}) AS f`;
    for (const row of rows) {
      kept.set(keyOf(projectId, purpose, row.metric), { epoch: row.epoch, from: firstDay, buckets: integerArray(row.buckets), dims: row.dims ?? [], values: integerArray(row.sums) });
    }
  }

  /** The epoch, and per metric and dimension what is not in slot 0 of the day counters: the writer slots' days and the hours at either end. */
  const readFresh = (projectId: string, purpose: string, from: number, to: number, firstDay: number, lastDay: number, metrics: readonly string[]) => sql<{ metric: string; epoch: number; dim: string | null; value: number | null }[]>`
    SELECT m.metric, (SELECT counters_epoch FROM projects WHERE id = ${projectId}) AS epoch, a.dim, a.value
    FROM unnest(${metrics as string[]}::text[]) AS m(metric) LEFT JOIN LATERAL (
      SELECT dim, sum(value)::bigint AS value FROM (
        SELECT dim, value FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND metric = m.metric AND grain = 'hour'
          AND ((bucket >= ${from} AND bucket < ${firstDay}) OR (bucket >= ${lastDay} AND bucket < ${to}))
        UNION ALL
        SELECT dim, value FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND metric = m.metric AND grain = 'day' AND slot <> 0
          AND bucket >= ${firstDay} AND bucket < ${lastDay}) AS rows
      GROUP BY dim) AS a ON TRUE`;

  /** Every slot summed in one statement: what the kept path must equal, and its way out when folds keep moving the epoch. */
  const summed = async (projectId: string, purpose: string, from: number, to: number, firstDay: number, lastDay: number, metrics: readonly string[]) => [...(await sql<RangeSum[]>`
    SELECT m.metric, a.dim, a.value FROM unnest(${metrics as string[]}::text[]) AS m(metric) CROSS JOIN LATERAL (
      SELECT dim, sum(value)::bigint AS value FROM aggregates
      WHERE project_id = ${projectId} AND purpose = ${purpose} AND metric = m.metric AND (
        (grain = 'hour' AND bucket >= ${from} AND bucket < ${firstDay})
        OR (grain = 'day' AND bucket >= ${firstDay} AND bucket < ${lastDay})
        OR (grain = 'hour' AND bucket >= ${lastDay} AND bucket < ${to}))
      GROUP BY dim) AS a
    ORDER BY m.metric COLLATE "C", a.dim COLLATE "C"`)];

  return async function rangeSums(projectId: string, purpose: string, from: number, to: number, metrics: readonly MetricName[]): Promise<RangeSum[]> {
    if (metrics.length === 0) return [];
    // Whole UTC days from the day counters (written beside the hourly ones, in the same
    // transaction), the partial days at either end from hours.
    const firstDay = Math.min(Math.ceil(from / DAY_MS) * DAY_MS, to);
    const lastDay = Math.max(Math.floor(to / DAY_MS) * DAY_MS, firstDay);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const missing = metrics.filter((metric) => !((kept.get(keyOf(projectId, purpose, metric))?.from ?? Infinity) <= firstDay));
      if (missing.length > 0) await keepFolded(projectId, purpose, missing, firstDay);
      const fresh = await readFresh(projectId, purpose, from, to, firstDay, lastDay, metrics);
      const epoch = fresh[0]!.epoch;
      const folded = metrics.map((metric) => kept.get(keyOf(projectId, purpose, metric))!);
      if (folded.some((days) => days.epoch !== epoch)) {
        // A fold or retention rewrote slot 0 since it was kept: read it again.
        for (const metric of metrics) kept.delete(keyOf(projectId, purpose, metric));
        continue;
      }
      const sums: RangeSum[] = [];
      metrics.forEach((metric, index) => {
        const byDim = new Map<string, number>();
        const days = folded[index]!;
        for (let n = 0; n < days.buckets.length; n++) {
          const bucket = days.buckets[n]!;
          if (bucket >= firstDay && bucket < lastDay) byDim.set(days.dims[n]!, (byDim.get(days.dims[n]!) ?? 0) + days.values[n]!);
        }
        for (const row of fresh) {
          if (row.metric === metric && row.dim !== null) byDim.set(row.dim, (byDim.get(row.dim) ?? 0) + row.value!);
        }
        for (const [dim, value] of byDim) sums.push({ metric, dim, value });
      });
      return sums.sort((a, b) => byBytes(a.metric, b.metric) || byBytes(a.dim, b.dim));
    }
    return summed(projectId, purpose, from, to, firstDay, lastDay, metrics);
  };
}
