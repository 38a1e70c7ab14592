/**
 * The statistics reads (`StatsStore`) for PostgreSQL, one statement each and the same answers
 * as `../sqlite/stats-queries.ts` (the parity test holds them to it). Cell lists travel as
 * parallel arrays read with `unnest`; text comparisons use the "C" collation,
 * the byte order SQLite uses, so ties and versions sort alike on both stores. Counters are
 * summed over writer slots (schema.ts, `aggregates.slot`), the folded ones kept in memory (`folded-counters/`).
 */
import type { CellMarks, EligibilityChange, SessionChange, SessionDurations, SessionFeed, StatsReads, StatsStore } from '../stats-store.js';
import type { PostgresConnection } from './connection.js';
import { SKETCH_LOWS } from '../../aggregates/duration-sketch.js';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { createHourlySums } from './folded-counters/hourly-sums.js';
import { createMarkCounts } from './folded-counters/mark-counts.js';
import { createRangeSums } from './folded-counters/range-sums.js';
import { readRemovals, stepsBetween, type RemovalRow } from '../rules/stats-removal-log.js';

const READ_REMOVALS = readRemovals({ project: '$1', after: '$2', upTo: '$3' });

/**
 * The reads. The session distribution comes from a feed of changed sessions (`sessions`), kept
 * in memory by `activity-index/`, as on SQLite; `sessionDurations`, one query over every session
 * of the range, stays as the reference the parity of both paths is checked against.
 */
export function createStatsQueries(
  connection: PostgresConnection,
): Omit<StatsReads, 'sessions'> & { sessions: SessionFeed; sessionDurations: StatsStore['sessionDurations']; feedHead(): Promise<number> } {
  const { sql } = connection;

  return {
    // Per metric, every hour of the range, summed over dimensions; slot 0 kept in memory while
    // the counters' epoch holds (`folded-counters/`).
    hourlySums: createHourlySums(sql),

    // Whole UTC days from the day-grain counters, the partial days at either end from hours,
    // as on SQLite; the days' slot 0 kept in memory while the counters' epoch holds (`folded-counters/`).
    rangeSums: createRangeSums(sql),

    /** The session feed's head: no transaction id a cursor holds can be above the next one to be assigned. */
    async feedHead() {
      const [row] = await sql<{ head: number }[]>`SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS head`;
      return row!.head;
    },

    async statsEpoch(projectId) {
      const [row] = await sql<{ epoch: number }[]>`SELECT stats_epoch AS epoch FROM projects WHERE id = ${projectId}`;
      return row?.epoch ?? 0;
    },

    async removals(projectId, after, upTo) {
      return stepsBetween(await sql.unsafe<RemovalRow[]>(READ_REMOVALS, [projectId, after, upTo]), after, upTo);
    },

    // Every request checks these counters for every hour of its purposes: slot 0 kept in
    // memory while the counters' epoch holds, the writer slots read fresh (`folded-counters/`).
    markCounts: createMarkCounts(sql),

    async marks(projectId, grain, cells) {
      if (cells.length === 0) return [];
      // A row per cell with its pseudonyms as an array: a row per mark cost most of a cold fill.
      return [...(await sql<CellMarks[]>`
        SELECT c.purpose, c.bucket, array_agg(a.pseudonym) AS pseudonyms
        FROM unnest(${cells.map((c) => c.purpose)}::text[], ${cells.map((c) => c.bucket)}::bigint[]) AS c(purpose, bucket)
        JOIN activity a ON a.project_id = ${projectId} AND a.purpose = c.purpose AND a.grain = ${grain} AND a.bucket = c.bucket
        GROUP BY c.purpose, c.bucket`)];
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
        // One statement, so one snapshot (pg_current_snapshot() is the statement's): the rows
        // and the cursor agree without a transaction of their own (BEGIN and COMMIT were two
        // of the read's four round trips). The LEFT JOIN answers the cursor when no row changed.
        const rows = await sql<({ next: number } & ({ key: number } | { key: null }) & Omit<SessionChange, 'key'>)[]>`
          SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS next, s.*
          FROM (SELECT 1) AS one LEFT JOIN LATERAL (
            SELECT row_key AS key, pseudonym, started_at AS "startedAt", coalesce(ended_at, last_seen_at) - started_at AS "durationMs", changed_xid AS changed
            FROM sessions WHERE project_id = ${projectId} AND changed_xid >= ${after}) AS s ON TRUE
          ORDER BY s.key`;
        const next = rows[0]!.next;
        return { changes: rows[0]!.key === null ? [] : (rows as SessionChange[]), next, more: false };
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
      async eligibilityChanges(projectId, purpose, after) {
        return [...(await sql<EligibilityChange[]>`
          SELECT u.pseudonym, (NOT u.restricted AND NOT u.erased AND NOT (u.objected::jsonb ? ${purpose})) AS eligible
          FROM subjects u WHERE u.project_id = ${projectId}
            AND u.pseudonym IN (SELECT pseudonym FROM consent_ledger WHERE project_id = ${projectId} AND seq > ${after})`)];
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
