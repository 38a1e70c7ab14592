/**
 * Hourly (or daily) counter series with slot 0 kept in memory, for the reads every statistics
 * request makes over weeks of cells: the `subjects` counters a freshness check compares
 * (`markCounts`, one series per purpose) and the usage sums (`hourlySums`, one per metric).
 * Read whole, those are thousands of rows per request (features: 10 purposes x 924 hours at
 * 12 weeks), nearly all of them slot 0: the folded counters of closed hours
 * (`../writer-slots/`), which only a fold or retention rewrites, and both bump
 * `projects.counters_epoch` in the same transaction. So each process keeps slot 0 per series,
 * tagged with the epoch it was read under, and a read takes the epoch and the writer slots'
 * rows (the current hour and the few since the last fold, by the partial index
 * `aggregates_writer_slots`); slot 0 is read again only when the epoch moved or the range
 * starts earlier than what is kept.
 *
 * Exact, not approximate: the epoch, the slot rows and (when read) slot 0 come from one
 * statement, so one snapshot; while the epoch holds, slot 0 is what it was when kept (writers
 * use slots 1 and up, `heed_writer_slot()`), and a cell's counter is slot 0 plus its slots.
 */
import type { PendingQuery, Row, Sql } from 'postgres';
import { integerArray } from '../int-arrays.js';
import { firstAtOrAfter } from '../../activity-index/cell-series.js';

/** From this many series on, a read of slot 0 goes out as two statements at once, on two pooled connections. */
const PARALLEL_SERIES = 4;

/** Slot 0 of one series, for every bucket from `from` on, in bucket order. */
interface Folded {
  readonly epoch: number;
  readonly from: number;
  readonly buckets: readonly number[];
  readonly values: readonly number[];
}

interface SeriesRow {
  key: string;
  epoch: number;
  buckets: string | null;
  sums: string | null;
  folded_buckets: string | null;
  folded_sums: string | null;
}

/** A series' cells: positive sums only, in bucket order. */
export interface Series {
  readonly buckets: number[];
  readonly values: number[];
}

/**
 * What a kind of series selects: `where` gives the condition on `aggregates` for the series
 * named by the SQL expression `k.key` (its rows of every dimension are summed per bucket).
 *
 * @example createFoldedSeries(sql, (sql, fixed) => sql`purpose = k.key AND grain = ${fixed} AND metric = 'subjects' AND dim = ''`)
 */
export function createFoldedSeries(sql: Sql<Record<string, never>>, where: (sql: Sql<Record<string, never>>, fixed: string) => PendingQuery<Row[]>) {
  const kept = new Map<string, Folded>();
  const keyOf = (projectId: string, fixed: string, key: string) => `${projectId}\u0000${fixed}\u0000${key}`;

  /** One statement: the epoch and slot rows of every series, and slot 0 of those in `fold`. */
  const read = (projectId: string, fixed: string, keys: readonly string[], fold: ReadonlySet<string>, from: number, to: number) => sql<SeriesRow[]>`
    SELECT k.key, (SELECT counters_epoch FROM projects WHERE id = ${projectId}) AS epoch,
      s.buckets, s.sums, f.buckets AS folded_buckets, f.sums AS folded_sums
    FROM unnest(${keys as string[]}::text[]) AS k(key)
    CROSS JOIN LATERAL (
      SELECT array_agg(bucket ORDER BY bucket)::text AS buckets, array_agg(value ORDER BY bucket)::text AS sums FROM (
        SELECT bucket, sum(value)::bigint AS value FROM aggregates
        WHERE project_id = ${projectId} AND ${where(sql, fixed)} AND slot <> 0 AND bucket >= ${from} AND bucket < ${to}
        GROUP BY bucket) AS slots) AS s
    CROSS JOIN LATERAL (
      SELECT array_agg(bucket ORDER BY bucket)::text AS buckets, array_agg(value ORDER BY bucket)::text AS sums FROM (
        SELECT bucket, sum(value)::bigint AS value FROM aggregates
        WHERE k.key = ANY(${[...fold]}::text[]) AND project_id = ${projectId} AND ${where(sql, fixed)} AND slot = 0 AND bucket >= ${from}
        GROUP BY bucket) AS zero) AS f`;

  /** Reads `keys`, those in `fold` with slot 0; reads of slot 0 are split over two statements. */
  async function readAll(projectId: string, fixed: string, keys: readonly string[], fold: ReadonlySet<string>, from: number, to: number) {
    if (keys.filter((key) => fold.has(key)).length < PARALLEL_SERIES) return [...(await read(projectId, fixed, keys, fold, from, to))];
    const half = Math.ceil(keys.length / 2);
    const parts = await Promise.all([keys.slice(0, half), keys.slice(half)].map((part) => read(projectId, fixed, part, fold, from, to)));
    return parts.flat();
  }

  /** The series named by `keys` over [from, to), in that order. */
  return async function series(projectId: string, fixed: string, keys: readonly string[], from: number, to: number): Promise<Series[]> {
    if (keys.length === 0) return [];
    const usable = (folded: Folded | undefined, epoch?: number) => folded !== undefined && folded.from <= from && (epoch === undefined || folded.epoch === epoch);
    let fold = new Set(keys.filter((key) => !usable(kept.get(keyOf(projectId, fixed, key)))));
    let rows = await readAll(projectId, fixed, keys, fold, from, to);
    // Two statements may straddle a fold, and what is kept may be of an older epoch: then
    // slot 0 is read again for every series, in one statement (one snapshot, one epoch).
    const epoch = rows[0]!.epoch;
    if (rows.some((row) => row.epoch !== epoch) || keys.some((key) => !fold.has(key) && !usable(kept.get(keyOf(projectId, fixed, key)), epoch))) {
      fold = new Set(keys);
      rows = [...(await read(projectId, fixed, keys, fold, from, to))];
    }
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => {
      const row = byKey.get(key)!;
      const cacheKey = keyOf(projectId, fixed, key);
      if (fold.has(key)) kept.set(cacheKey, { epoch: row.epoch, from, buckets: integerArray(row.folded_buckets), values: integerArray(row.folded_sums) });
      return addSlots(kept.get(cacheKey)!, integerArray(row.buckets), integerArray(row.sums), from, to);
    });
  };
}

/**
 * Slot 0 plus the slot rows, cell by cell, over [from, to), both in bucket order; cells whose
 * sum is not positive are left out, as a read summing every slot with `HAVING sum > 0` would.
 */
function addSlots(folded: Folded, buckets: readonly number[], sums: readonly number[], from: number, to: number): Series {
  const out: Series = { buckets: [], values: [] };
  const push = (bucket: number, value: number) => {
    if (value <= 0) return;
    out.buckets.push(bucket);
    out.values.push(value);
  };
  let f = firstAtOrAfter(folded.buckets, from);
  let s = 0;
  for (;;) {
    const fb = f < folded.buckets.length && folded.buckets[f]! < to ? folded.buckets[f]! : Number.POSITIVE_INFINITY;
    const sb = s < buckets.length ? buckets[s]! : Number.POSITIVE_INFINITY;
    if (fb === Number.POSITIVE_INFINITY && sb === Number.POSITIVE_INFINITY) return out;
    if (fb < sb) push(fb, folded.values[f++]!);
    else if (sb < fb) push(sb, sums[s++]!);
    else push(fb, folded.values[f++]! + sums[s++]!);
  }
}
