/**
 * The statistics reads (`StatsStore`) for SQLite: one statement each. Ranges for distinct
 * counts travel as one JSON parameter read with `json_each`, and CROSS JOIN makes SQLite walk
 * the ranges first and seek the activity primary key for each, so a request costs the rows in
 * its ranges, not the table.
 */
import type { SqliteConnection } from './connection.js';
import type { AggregateRow, KeyedRange, PurposeEligibility, ReturnGap, SessionBin, StatsStore } from '../stats-store.js';

const DAY_MS = 86_400_000;

export function createStatsQueries(connection: SqliteConnection): StatsStore {
  const { client } = connection;
  const distinct = client.prepare<[string, string], { key: string; n: number }>(
    `SELECT r.key AS key, count(DISTINCT a.pseudonym) AS n
     FROM (SELECT json_extract(value, '$[0]') AS key, json_extract(value, '$[1]') AS purpose,
                  json_extract(value, '$[2]') AS lo, json_extract(value, '$[3]') AS hi FROM json_each(?)) AS r
     CROSS JOIN activity AS a
     WHERE a.project_id = ? AND a.purpose = r.purpose AND a.grain = 'hour' AND a.bucket >= r.lo AND a.bucket < r.hi
     GROUP BY r.key`,
  );
  // Per key, a co-routine that stops at `cap` distinct pseudonyms (LIMIT applies as rows
  // stream out of DISTINCT), so a busy key costs about `cap` index entries.
  const cappedDistinct = client.prepare<[string, number, string], { key: string; n: number }>(
    `SELECT json_extract(k.value, '$[0]') AS key, (
       SELECT count(*) FROM (
         SELECT DISTINCT a.pseudonym FROM json_each(k.value, '$[1]') AS r CROSS JOIN activity AS a
         WHERE a.project_id = ? AND a.purpose = json_extract(r.value, '$[0]') AND a.grain = 'hour'
           AND a.bucket >= json_extract(r.value, '$[1]') AND a.bucket < json_extract(r.value, '$[2]')
         LIMIT ?)) AS n
     FROM json_each(?) AS k`,
  );
  const gaps = client.prepare<[string, string, number, number], ReturnGap>(
    `SELECT gap AS gapDays, count(*) AS intervals, count(DISTINCT pseudonym) AS subjects FROM (
       SELECT pseudonym, (bucket - lag(bucket) OVER (PARTITION BY pseudonym ORDER BY bucket)) / ${DAY_MS} AS gap
       FROM activity WHERE project_id = ? AND purpose = ? AND grain = 'day' AND bucket >= ? AND bucket < ?
     ) WHERE gap IS NOT NULL GROUP BY gap ORDER BY gap`,
  );

  return {
    async hourlyAggregates(projectId, purpose, from, to, metrics): Promise<AggregateRow[]> {
      const exact = metrics.filter((metric) => !metric.endsWith('*'));
      const prefixes = metrics.filter((metric) => metric.endsWith('*')).map((metric) => metric.slice(0, -1));
      const filters = [
        ...(exact.length > 0 ? [`metric IN (${exact.map(() => '?').join(', ')})`] : []),
        // substr, not LIKE: metric names may hold `_`, LIKE's wildcard.
        ...prefixes.map(() => 'substr(metric, 1, ?) = ?'),
      ];
      if (filters.length === 0) return [];
      const params: (string | number)[] = [projectId, purpose, from, to, ...exact];
      for (const prefix of prefixes) params.push(prefix.length, prefix);
      return client
        .prepare(
          `SELECT bucket, metric, dim, value FROM aggregates
           WHERE project_id = ? AND purpose = ? AND grain = 'hour' AND bucket >= ? AND bucket < ? AND (${filters.join(' OR ')})
           ORDER BY bucket`,
        )
        .all(...params) as AggregateRow[];
    },

    async distinctSubjects(projectId, ranges: readonly KeyedRange[], cap?: number) {
      const result = new Map<string, number>();
      if (ranges.length === 0) return result;
      if (cap !== undefined) {
        const byKey = new Map<string, [string, number, number][]>();
        for (const range of ranges) {
          const list = byKey.get(range.key);
          if (list) list.push([range.purpose, range.from, range.to]);
          else byKey.set(range.key, [[range.purpose, range.from, range.to]]);
        }
        // Keys with no subject are absent, as in the uncapped count.
        for (const row of cappedDistinct.all(projectId, cap, JSON.stringify([...byKey]))) if (row.n > 0) result.set(row.key, row.n);
        return result;
      }
      const json = JSON.stringify(ranges.map((range) => [range.key, range.purpose, range.from, range.to]));
      for (const row of distinct.all(json, projectId)) result.set(row.key, row.n);
      return result;
    },

    async returnIntervals(projectId, purpose, from, to) {
      return gaps.all(projectId, purpose, from, to);
    },

    async sessionDurations(projectId, from, to, edges: readonly number[], eligibility: PurposeEligibility): Promise<SessionBin[]> {
      // Edges are numbers we own, inlined so the CASE stays one cached statement shape per edge list.
      const cases = edges.map((edge, bin) => (bin === 0 ? '' : `WHEN d >= ${Math.floor(edge)} THEN ${bin}`)).filter(Boolean).reverse().join(' ');
      const allowed =
        eligibility.basis === 'consent'
          ? `u.consent_withdrawn = 0 AND u.consent_version >= ? AND EXISTS (SELECT 1 FROM json_each(u.consent_granted) WHERE value = ?)`
          : eligibility.basis === 'legitimate_interest'
            ? `u.consent_withdrawn = 0 AND u.consent_version >= ? AND NOT EXISTS (SELECT 1 FROM json_each(u.objected) WHERE value = ?)`
            : `? IS NOT NULL AND ? IS NOT NULL`;
      return client
        .prepare(
          // The eligible subjects are decided once each (an uncorrelated IN list, built once),
          // not once per session: sessions outnumber subjects many times over.
          `SELECT CASE ${cases} ELSE 0 END AS bin, count(*) AS sessions, count(DISTINCT pseudonym) AS subjects FROM (
             SELECT s.pseudonym AS pseudonym, coalesce(s.ended_at, s.last_seen_at) - s.started_at AS d
             FROM sessions s
             WHERE s.project_id = ? AND s.started_at >= ? AND s.started_at < ? AND s.pseudonym IN (
               SELECT u.pseudonym FROM subjects u WHERE u.project_id = ? AND u.restricted = 0 AND u.erased = 0 AND ${allowed})
           ) GROUP BY bin ORDER BY bin`,
        )
        .all(projectId, from, to, projectId, eligibility.consentSince, eligibility.purpose) as SessionBin[];
    },
  };
}
