/**
 * The statistics reads (`StatsStore`) for PostgreSQL, one statement each and the same answers
 * as `../sqlite/stats-queries.ts` (the parity test holds them to it). Cell lists travel as
 * parallel arrays read with `unnest`; text comparisons use the "C" collation,
 * the byte order SQLite uses, so ties and versions sort alike on both stores. Counters are
 * summed over writer slots (schema.ts, `aggregates.slot`).
 */
import type { HourlySeries, Mark, MarkCounts, RangeSum, SessionDurations, SessionFeed, StatsReads, StatsStore } from '../stats-store.js';
import type { PostgresConnection } from './connection.js';
import { SKETCH_LOWS } from '../../aggregates/duration-sketch.js';
import { DAY_MS, HOUR_MS } from '../../aggregates/time-units.js';

/** From this many purposes on, mark counters are read by two statements at once (`markCounts`). */
const PARALLEL_PURPOSES = 4;

/**
 * The reads. The session distribution comes from a feed of changed sessions (`sessions`), kept
 * in memory by `activity-index/`, as on SQLite; `sessionDurations`, one query over every session
 * of the range, stays as the reference the parity of both paths is checked against.
 */
export function createStatsQueries(connection: PostgresConnection): Omit<StatsReads, 'sessions'> & { sessions: SessionFeed; sessionDurations: StatsStore['sessionDurations'] } {
  const { sql } = connection;

  return {
    async hourlySums(projectId, purpose, from, to, metrics) {
      // One index range per metric (LATERAL): with `metric = ANY(...)` the planner may walk every
      // metric of the range and filter (200 ms instead of 5 at 12 weeks, 10,000 subjects).
      // Arrays per metric, as `markCounts` reads them.
      const rows = await sql<{ metric: string; buckets: string; sums: string }[]>`
        SELECT m.metric, array_agg(a.bucket ORDER BY a.bucket)::text AS buckets, array_agg(a.value ORDER BY a.bucket)::text AS sums
        FROM unnest(${metrics}::text[]) AS m(metric) CROSS JOIN LATERAL (
          SELECT bucket, sum(value)::bigint AS value FROM aggregates
          WHERE project_id = ${projectId} AND purpose = ${purpose} AND grain = 'hour' AND metric = m.metric AND bucket >= ${from} AND bucket < ${to}
          GROUP BY bucket) AS a
        GROUP BY m.metric`;
      return arraysByKey(metrics, rows, (row) => row.metric, (row) => row.sums).map((series, index): HourlySeries => ({ metric: metrics[index]!, ...series }));
    },

    // Whole UTC days from the day-grain counters (written beside the hourly ones, in the same
    // transaction), only the partial days at either end from hours, as on SQLite: 12 weeks of
    // features then sum a few thousand rows instead of tens of thousands.
    async rangeSums(projectId, purpose, from, to, metrics) {
      const firstDay = Math.min(Math.ceil(from / DAY_MS) * DAY_MS, to);
      const lastDay = Math.max(Math.floor(to / DAY_MS) * DAY_MS, firstDay);
      return [...(await sql<RangeSum[]>`
        SELECT m.metric, a.dim, a.value FROM unnest(${metrics}::text[]) AS m(metric) CROSS JOIN LATERAL (
          SELECT dim, sum(value)::bigint AS value FROM aggregates
          WHERE project_id = ${projectId} AND purpose = ${purpose} AND metric = m.metric AND (
            (grain = 'hour' AND bucket >= ${from} AND bucket < ${firstDay})
            OR (grain = 'day' AND bucket >= ${firstDay} AND bucket < ${lastDay})
            OR (grain = 'hour' AND bucket >= ${lastDay} AND bucket < ${to}))
          GROUP BY dim) AS a
        ORDER BY m.metric COLLATE "C", a.dim COLLATE "C"`)];
    },

    async statsEpoch(projectId) {
      const [row] = await sql<{ epoch: number }[]>`SELECT stats_epoch AS epoch FROM projects WHERE id = ${projectId}`;
      return row?.epoch ?? 0;
    },

    // Every request reads these counters for every hour of its purposes; many purposes (the
    // features route: 10, 924 hours each at 12 weeks) are read as two statements at once, on
    // two connections of the pool, so two backends scan (each cell's count stands alone, so
    // the two snapshots need not agree).
    async markCounts(projectId, grain, purposes, from, to) {
      const half = purposes.length >= PARALLEL_PURPOSES ? Math.ceil(purposes.length / 2) : purposes.length;
      const parts = await Promise.all([purposes.slice(0, half), purposes.slice(half)].filter((part) => part.length > 0).map((part) => sql<{ purpose: string; buckets: string; subjects: string }[]>`
        SELECT p.purpose, array_agg(a.bucket ORDER BY a.bucket)::text AS buckets, array_agg(a.subjects ORDER BY a.bucket)::text AS subjects
        FROM unnest(${part}::text[]) AS p(purpose) CROSS JOIN LATERAL (
          SELECT bucket, sum(value)::bigint AS subjects FROM aggregates
          WHERE project_id = ${projectId} AND purpose = p.purpose AND grain = ${grain} AND metric = 'subjects' AND bucket >= ${from} AND bucket < ${to} AND dim = ''
          GROUP BY bucket HAVING sum(value) > 0) AS a
        GROUP BY p.purpose`));
      return arraysByKey(purposes, parts.flat(), (row) => row.purpose, (row) => row.subjects)
        .map((series, index): MarkCounts => ({ purpose: purposes[index]!, buckets: series.buckets, subjects: series.values }));
    },

    async marks(projectId, grain, cells) {
      if (cells.length === 0) return [];
      return [...(await sql<Mark[]>`
        SELECT c.purpose, c.bucket, a.pseudonym
        FROM unnest(${cells.map((c) => c.purpose)}::text[], ${cells.map((c) => c.bucket)}::bigint[]) AS c(purpose, bucket)
        JOIN activity a ON a.project_id = ${projectId} AND a.purpose = c.purpose AND a.grain = ${grain} AND a.bucket = c.bucket`)];
    },

    sessions: {
      kind: 'feed',
      /**
       * Commit-safe without a commit order: each session row carries the transaction that last
       * wrote it, and a read returns the rows of transactions from `after` on, then moves the
       * cursor to the oldest transaction still running at the read (its snapshot's xmin).
       * Everything older had finished, so was read; anything running then is read next time,
       * with the few rows that committed just before the read again (applying a row twice is
       * harmless). One read, however long: postgres.js reads rows without blocking the loop.
       */
      async changedAfter(projectId, after) {
        return sql.begin('isolation level repeatable read read only', async (tx) => {
          const [{ next }] = await tx<[{ next: number }]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS next`;
          const changes = await tx<{ key: number; pseudonym: string; startedAt: number; durationMs: number; changed: number }[]>`
            SELECT row_key AS key, pseudonym, started_at AS "startedAt", coalesce(ended_at, last_seen_at) - started_at AS "durationMs", changed_xid AS changed
            FROM sessions WHERE project_id = ${projectId} AND changed_xid >= ${after} ORDER BY row_key`;
          return { changes, next, more: false };
        });
      },
      /**
       * The project's ledger head: every consent or flag change appends to the project's ledger
       * in its transaction, and appends are serialised on the head row, so the head's seq rises
       * in commit order (a global max(seq) would not: a lower seq can commit later).
       */
      async eligibilityVersion(projectId) {
        const [row] = await sql<{ seq: number }[]>`SELECT seq FROM ledger_heads WHERE project_id = ${projectId}`;
        return row?.seq ?? 0;
      },
      async eligibleSubjects(projectId, purpose) {
        const rows = await sql<{ pseudonym: string }[]>`
          SELECT u.pseudonym FROM subjects u WHERE u.project_id = ${projectId} AND NOT u.restricted AND NOT u.erased AND NOT (u.objected::jsonb ? ${purpose})`;
        return rows.map((row) => row.pseudonym);
      },
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
 * Series read as one row per key, its buckets and values as two integer arrays in bucket
 * order, returned in the order of `keys` (a key without rows gets empty arrays): the shape
 * `inBucketOrder` gives on SQLite. Arrays because every request reads a series for every hour
 * of its weeks (features: 10 purposes x 924 hours of counters at 12 weeks); as one row each,
 * postgres.js took as long to build the row objects as the server took to scan them (5
 * purposes: 12 ms against 6; 8 ms as arrays).
 */
function arraysByKey<R extends { buckets: string }>(keys: readonly string[], rows: readonly R[], keyOf: (row: R) => string, valuesOf: (row: R) => string) {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => {
    const row = byKey.get(key);
    return { buckets: row ? integerArray(row.buckets) : [], values: row ? integerArray(valuesOf(row)) : [] };
  });
}

/** An integer array in PostgreSQL's text form (`{1,2,3}`; `{}` when empty) as numbers. */
function integerArray(text: string): number[] {
  return text === '{}' ? [] : text.slice(1, -1).split(',').map(Number);
}
