/**
 * The statistics reads (`StatsReads`) for SQLite, each one prepared statement (run once per
 * metric or purpose where that keeps rows numeric). Cell lists travel as one JSON parameter
 * read with `json_each`, and CROSS JOIN makes SQLite walk the cells first and seek the
 * activity primary key for each, so a request costs the rows of its cells, not the table.
 */
import type { OwnWrites } from '../activity-index/indexed-stats.js';
import type { SqliteConnection } from './connection.js';
import type { RangeSum, StatsReads } from '../stats-store.js';
import { DAY_MS } from '../../aggregates/time-units.js';
import { readRemovals, stepsBetween, type RemovalRow } from '../rules/stats-removal-log.js';

export function createStatsQueries(connection: SqliteConnection): StatsReads & { feedHead(): Promise<number> } & OwnWrites {
  const { client } = connection;
  const epoch = client.prepare<[string], { epoch: number }>('SELECT stats_epoch AS epoch FROM projects WHERE id = ?');
  // One purpose at a time, as two JSON arrays in one row (see `inBucketOrder`): every request
  // checks every cell of its weeks (924 per purpose over 12 weeks), and a row per cell cost
  // 0.40 ms against 0.24, most of it making the row arrays.
  const counts = client
    .prepare<[string, string, string, number, number], [string, string]>(
      `SELECT json_group_array(bucket), json_group_array(value) FROM aggregates
       WHERE project_id = ? AND purpose = ? AND grain = ? AND metric = 'subjects' AND bucket >= ? AND bucket < ? AND dim = '' AND value > 0`,
    )
    .raw();
  // One metric at a time, as two JSON arrays too: the primary key (metric before bucket)
  // gives the hours in order, and no string or row array is built per hour.
  const hourly = client
    .prepare<[string, string, string, number, number], [string, string]>(
      `SELECT json_group_array(bucket), json_group_array(total) FROM (
         SELECT bucket, sum(value) AS total FROM aggregates
         WHERE project_id = ? AND purpose = ? AND grain = 'hour' AND metric = ? AND bucket >= ? AND bucket < ?
         GROUP BY bucket)`,
    )
    .raw();
  // Whole UTC days from the day-grain counters (written beside the hourly ones, in the same
  // transaction), only the partial days at either end from hours: 12 weeks of features
  // then sum about 2k rows instead of 18k.
  const totals = client.prepare<{ projectId: string; purpose: string; metrics: string; from: number; firstDay: number; lastDay: number; to: number }, RangeSum>(
    `SELECT metric, dim, sum(value) AS value FROM (
       SELECT metric, dim, value FROM aggregates WHERE project_id = @projectId AND purpose = @purpose AND grain = 'hour'
         AND metric IN (SELECT value FROM json_each(@metrics)) AND bucket >= @from AND bucket < @firstDay
       UNION ALL SELECT metric, dim, value FROM aggregates WHERE project_id = @projectId AND purpose = @purpose AND grain = 'day'
         AND metric IN (SELECT value FROM json_each(@metrics)) AND bucket >= @firstDay AND bucket < @lastDay
       UNION ALL SELECT metric, dim, value FROM aggregates WHERE project_id = @projectId AND purpose = @purpose AND grain = 'hour'
         AND metric IN (SELECT value FROM json_each(@metrics)) AND bucket >= @lastDay AND bucket < @to)
     GROUP BY metric, dim ORDER BY metric, dim`,
  );
  // INDEXED BY: without statistics the planner prefers the project's subject index and reads
  // every session of the project to find the few changed ones.
  const changedSessions = client
    .prepare<[number, string, number], [number, string, number, number, number]>(
      `SELECT rowid, pseudonym, started_at, coalesce(ended_at, last_seen_at) - started_at, changed
       FROM sessions INDEXED BY sessions_changed WHERE changed > ? AND project_id = ? ORDER BY changed LIMIT ?`,
    )
    .raw();
  const eligible = client
    .prepare<[string, string], string>(
      `SELECT u.pseudonym FROM subjects u WHERE u.project_id = ? AND u.restricted = 0 AND u.erased = 0
         AND NOT EXISTS (SELECT 1 FROM json_each(u.objected) WHERE value = ?)`,
    )
    .pluck();
  const eligibilityChanges = client
    .prepare<[string, string, string, number], [string, number]>(
      `SELECT u.pseudonym, (u.restricted = 0 AND u.erased = 0 AND NOT EXISTS (SELECT 1 FROM json_each(u.objected) WHERE value = ?))
       FROM subjects u WHERE u.project_id = ? AND u.pseudonym IN (SELECT pseudonym FROM consent_ledger WHERE project_id = ? AND seq > ?)`,
    )
    .raw();
  const removals = client.prepare<[string, number, number], RemovalRow>(readRemovals({ project: '?', after: '?', upTo: '?' }));
  const ledgerLength = client.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM consent_ledger');
  // The deleted sessions' numbers count too: a snapshot that read them is not ahead of this database.
  const feedHead = client.prepare<[], number>('SELECT max(coalesce((SELECT max(changed) FROM sessions), -1), coalesce((SELECT value FROM session_feed_head), -1))').pluck();
  const cellCount = client
    .prepare<[string, string, string, number], number>(
      `SELECT value FROM aggregates WHERE project_id = ? AND purpose = ? AND grain = ? AND metric = 'subjects' AND bucket = ? AND dim = ''`,
    )
    .pluck();
  // A row per cell, its pseudonyms joined by commas (base64url has none): making a JS row and
  // string per mark was most of a cold fill (1.44 million marks: 2.5-3.2 s against 0.7-1.5 s).
  const marks = client
    .prepare<[string, string, string], [string, number, string | null]>(
      `SELECT c.purpose, c.bucket, (SELECT group_concat(a.pseudonym, ',') FROM activity AS a
         WHERE a.project_id = ? AND a.purpose = c.purpose AND a.grain = ? AND a.bucket = c.bucket)
       FROM (SELECT json_extract(value, '$[0]') AS purpose, json_extract(value, '$[1]') AS bucket FROM json_each(?)) AS c`,
    )
    .raw();

  return {
    changes: connection.markChanges,
    async dataVersion() {
      return client.pragma('data_version', { simple: true }) as number;
    },
    async cellCounts(projectId, grain, cells) {
      return cells.map((cell) => Math.max(cellCount.get(projectId, cell.purpose, grain, cell.bucket) ?? 0, 0));
    },

    /** The highest change number of the session feed, over all projects (one index lookup). */
    async feedHead() {
      return feedHead.get()!;
    },

    async hourlySums(projectId, purpose, from, to, metrics) {
      return metrics.map((metric) => {
        const [buckets, values] = hourly.get(projectId, purpose, metric, from, to)!;
        return { metric, ...inBucketOrder(JSON.parse(buckets) as number[], JSON.parse(values) as number[]) };
      });
    },

    async rangeSums(projectId, purpose, from, to, metrics) {
      const firstDay = Math.min(Math.ceil(from / DAY_MS) * DAY_MS, to);
      const lastDay = Math.max(Math.floor(to / DAY_MS) * DAY_MS, firstDay);
      return totals.all({ projectId, purpose, metrics: JSON.stringify(metrics), from, firstDay, lastDay, to });
    },

    async statsEpoch(projectId) {
      return epoch.get(projectId)?.epoch ?? 0;
    },

    async removals(projectId, after, upTo) {
      return stepsBetween(removals.all(projectId, after, upTo), after, upTo);
    },

    async markCounts(projectId, grain, purposes, from, to) {
      return purposes.map((purpose) => {
        const [buckets, subjects] = counts.get(projectId, purpose, grain, from, to)!;
        const ordered = inBucketOrder(JSON.parse(buckets) as number[], JSON.parse(subjects) as number[]);
        return { purpose, buckets: ordered.buckets, subjects: ordered.values };
      });
    },

    async marks(projectId, grain, cells) {
      if (cells.length === 0) return [];
      return marks
        .all(projectId, grain, JSON.stringify(cells.map((cell) => [cell.purpose, cell.bucket])))
        .map(([purpose, bucket, joined]) => ({ purpose, bucket, pseudonyms: joined === null ? [] : joined.split(',') }));
    },

    sessions: {
      kind: 'feed',
      async changedAfter(projectId, after, limit) {
        const changes = changedSessions.all(after, projectId, limit).map(([key, pseudonym, startedAt, durationMs, changed]) => ({ key, pseudonym, startedAt, durationMs, changed }));
        return { changes, next: changes.at(-1)?.changed ?? after, more: changes.length === limit };
      },
      // The whole ledger's length: every project's changes raise it (cheaper than per project here).
      async eligibilityVersion() {
        return ledgerLength.get()!.seq;
      },
      async eligibleSubjects(projectId, purpose) {
        return eligible.all(projectId, purpose);
      },
      async eligibilityChanges(projectId, purpose, after) {
        return eligibilityChanges.all(purpose, projectId, projectId, after).map(([pseudonym, eligible]) => ({ pseudonym, eligible: eligible === 1 }));
      },
    },
  };
}

/**
 * Parallel arrays sorted by bucket. SQLite aggregates the rows in the order it walks the
 * primary key, which is bucket order here, but `json_group_array` promises no order (and an
 * ORDER BY inside it costs a sort: 0.15 ms per purpose), so the order is checked, and sorted
 * only when it is not already.
 */
export function inBucketOrder(buckets: number[], values: number[]): { buckets: number[]; values: number[] } {
  let sorted = true;
  for (let index = 1; index < buckets.length && sorted; index++) sorted = buckets[index - 1]! < buckets[index]!;
  if (sorted) return { buckets, values };
  const order = buckets.map((_, index) => index).sort((a, b) => buckets[a]! - buckets[b]!);
  return { buckets: order.map((index) => buckets[index]!), values: order.map((index) => values[index]!) };
}
