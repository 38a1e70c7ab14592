/**
 * The statistics reads (`StatsStore`) for PostgreSQL, one statement each and the same answers
 * as `../sqlite/stats-queries.ts` (the parity test holds them to it). Cell lists travel as
 * parallel arrays read with `unnest`; text comparisons use the "C" collation,
 * the byte order SQLite uses, so ties and versions sort alike on both stores.
 */
import type { HourlySeries, Mark, MarkCounts, RangeSum, SessionDurations, StatsReads, StatsStore } from '../stats-store.js';
import type { PostgresConnection } from './connection.js';
import { SKETCH_LOWS } from '../../aggregates/duration-sketch.js';
import { HOUR_MS } from '../../aggregates/time-units.js';

/** The reads; the session distribution is one query here (see `SessionSource`: no commit-ordered feed). */
export function createStatsQueries(connection: PostgresConnection): Omit<StatsReads, 'sessions'> & { sessionDurations: StatsStore['sessionDurations'] } {
  const { sql } = connection;

  return {
    async hourlySums(projectId, purpose, from, to, metrics) {
      const rows = await sql<{ metric: string; bucket: number; value: number }[]>`
        SELECT metric, bucket, sum(value)::bigint AS value FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND grain = 'hour' AND metric = ANY(${metrics}::text[]) AND bucket >= ${from} AND bucket < ${to}
        GROUP BY metric, bucket ORDER BY bucket`;
      return seriesByKey(metrics, rows, (row) => row.metric, (row) => row.value).map((series, index): HourlySeries => ({ metric: metrics[index]!, ...series }));
    },

    async rangeSums(projectId, purpose, from, to, metrics) {
      return [...(await sql<RangeSum[]>`
        SELECT metric, dim, sum(value)::bigint AS value FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND grain = 'hour' AND metric = ANY(${metrics}::text[]) AND bucket >= ${from} AND bucket < ${to}
        GROUP BY metric, dim ORDER BY metric COLLATE "C", dim COLLATE "C"`)];
    },

    async statsEpoch(projectId) {
      const [row] = await sql<{ epoch: number }[]>`SELECT stats_epoch AS epoch FROM projects WHERE id = ${projectId}`;
      return row?.epoch ?? 0;
    },

    async markCounts(projectId, grain, purposes, from, to) {
      const rows = await sql<{ purpose: string; bucket: number; subjects: number }[]>`
        SELECT purpose, bucket, value AS subjects FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ANY(${purposes}::text[]) AND grain = ${grain} AND bucket >= ${from} AND bucket < ${to}
          AND metric = 'subjects' AND dim = '' AND value > 0
        ORDER BY purpose, bucket`;
      return seriesByKey(purposes, rows, (row) => row.purpose, (row) => row.subjects)
        .map((series, index): MarkCounts => ({ purpose: purposes[index]!, buckets: series.buckets, subjects: series.values }));
    },

    async marks(projectId, grain, cells) {
      if (cells.length === 0) return [];
      return [...(await sql<Mark[]>`
        SELECT c.purpose, c.bucket, a.pseudonym
        FROM unnest(${cells.map((c) => c.purpose)}::text[], ${cells.map((c) => c.bucket)}::bigint[]) AS c(purpose, bucket)
        JOIN activity a ON a.project_id = ${projectId} AND a.purpose = c.purpose AND a.grain = ${grain} AND a.bucket = c.bucket`)];
    },

    async sessionDurations(projectId, from, to, edges: readonly number[], purpose: string, shownAt: number): Promise<SessionDurations> {
      // Edges are numbers we own, inlined so the CASE stays one statement shape per edge list.
      const cases = edges.map((edge, bin) => (bin === 0 ? '' : `WHEN d >= ${Math.floor(edge)} THEN ${bin}`)).filter(Boolean).reverse().join(' ');
      // Per bin and sketch bucket; `width_bucket` finds the bucket among the same integer edges
      // the SQLite store's JavaScript searches, so both stores bin every duration alike.
      // One more row (bin -1) carries the distinct subjects of the bins shown at `shownAt`.
      const rows = await sql<{ bin: number; sketch: number | null; sessions: number; subjects: number }[]>`
        WITH b AS (
          SELECT pseudonym, ${sql.unsafe(cases === '' ? '0' : `CASE ${cases} ELSE 0 END`)} AS bin, width_bucket(greatest(d, 0), ${SKETCH_LOWS as number[]}::bigint[]) - 1 AS sketch FROM (
            SELECT s.pseudonym, coalesce(s.ended_at, s.last_seen_at) - s.started_at AS d
            FROM sessions s JOIN subjects u ON u.project_id = s.project_id AND u.pseudonym = s.pseudonym
            WHERE s.project_id = ${projectId} AND s.started_at >= ${from} AND s.started_at < ${to} AND NOT u.restricted AND NOT u.erased
              AND NOT (u.objected::jsonb ? ${purpose})
              AND EXISTS (SELECT 1 FROM activity a WHERE a.project_id = s.project_id AND a.purpose = ${purpose} AND a.grain = 'hour'
                AND a.bucket = s.started_at - s.started_at % ${HOUR_MS} AND a.pseudonym = s.pseudonym)
          ) AS durations),
        shown AS (SELECT bin FROM b GROUP BY bin HAVING count(DISTINCT pseudonym) >= ${shownAt})
        SELECT bin, sketch, count(*)::int AS sessions, count(DISTINCT pseudonym)::int AS subjects FROM b GROUP BY GROUPING SETS ((bin), (bin, sketch))
        UNION ALL SELECT -1, NULL, 0, count(DISTINCT pseudonym)::int FROM b WHERE bin IN (SELECT bin FROM shown)
        ORDER BY bin, sketch NULLS FIRST`;
      let shownSubjects = 0;
      const bins: { bin: number; sessions: number; subjects: number; sketch: Map<number, number> }[] = [];
      for (const row of rows) {
        if (row.bin === -1) shownSubjects = row.subjects;
        else if (row.sketch === null) bins.push({ bin: row.bin, sessions: row.sessions, subjects: row.subjects, sketch: new Map() });
        else bins.at(-1)!.sketch.set(row.sketch, row.sessions);
      }
      return { bins, shownSubjects };
    },
  };
}

/**
 * Rows already in bucket order, as parallel arrays per key, in the order of `keys` (a key
 * without rows gets empty arrays): the shape `inBucketOrder` gives on SQLite.
 */
function seriesByKey<R extends { bucket: number }>(keys: readonly string[], rows: readonly R[], keyOf: (row: R) => string, valueOf: (row: R) => number) {
  const byKey = new Map(keys.map((key): [string, { buckets: number[]; values: number[] }] => [key, { buckets: [], values: [] }]));
  for (const row of rows) {
    const series = byKey.get(keyOf(row))!;
    series.buckets.push(row.bucket);
    series.values.push(valueOf(row));
  }
  return keys.map((key) => byKey.get(key)!);
}
