/**
 * The statistics reads (`StatsStore`) for PostgreSQL, one statement each and the same answers
 * as `../sqlite/stats-queries.ts` (the parity test holds them to it). Ranges for distinct
 * counts travel as parallel arrays read with `unnest`; text comparisons use the "C" collation,
 * the byte order SQLite uses, so ties and versions sort alike on both stores.
 */
import type { AggregateRow, KeyedRange, PurposeEligibility, ReturnGap, SessionBin, StatsStore } from '../stats-store.js';
import type { PostgresConnection } from './connection.js';

const DAY_MS = 86_400_000;

export function createStatsQueries(connection: PostgresConnection): StatsStore {
  const { sql } = connection;

  return {
    async hourlyAggregates(projectId, purpose, from, to, metrics): Promise<AggregateRow[]> {
      const exact = metrics.filter((metric) => !metric.endsWith('*'));
      const prefixes = metrics.filter((metric) => metric.endsWith('*')).map((metric) => metric.slice(0, -1));
      if (exact.length === 0 && prefixes.length === 0) return [];
      // left(), not LIKE: metric names may hold `_`, LIKE's wildcard.
      return [...(await sql<AggregateRow[]>`
        SELECT bucket, metric, dim, value FROM aggregates
        WHERE project_id = ${projectId} AND purpose = ${purpose} AND grain = 'hour' AND bucket >= ${from} AND bucket < ${to}
          AND (metric = ANY(${exact}::text[])
               OR EXISTS (SELECT 1 FROM unnest(${prefixes}::text[]) AS p(prefix) WHERE left(metric, length(p.prefix)) = p.prefix))
        ORDER BY bucket, metric COLLATE "C", dim COLLATE "C"`)];
    },

    // Counts are exact, which the contract's `cap` allows: PostgreSQL has no cheap early stop here.
    async distinctSubjects(projectId, ranges: readonly KeyedRange[]) {
      const result = new Map<string, number>();
      if (ranges.length === 0) return result;
      const rows = await sql<{ key: string; n: number }[]>`
        SELECT r.key, count(DISTINCT a.pseudonym) AS n
        FROM unnest(${ranges.map((r) => r.key)}::text[], ${ranges.map((r) => r.purpose)}::text[],
                    ${ranges.map((r) => r.from)}::bigint[], ${ranges.map((r) => r.to)}::bigint[]) AS r(key, purpose, lo, hi)
        JOIN activity a ON a.project_id = ${projectId} AND a.purpose = r.purpose AND a.grain = 'hour' AND a.bucket >= r.lo AND a.bucket < r.hi
        GROUP BY r.key`;
      for (const row of rows) result.set(row.key, row.n);
      return result;
    },

    async returnIntervals(projectId, purpose, from, to) {
      return [...(await sql<ReturnGap[]>`
        SELECT gap AS "gapDays", count(*) AS intervals, count(DISTINCT pseudonym) AS subjects FROM (
          SELECT pseudonym, (bucket - lag(bucket) OVER (PARTITION BY pseudonym ORDER BY bucket)) / ${DAY_MS}::bigint AS gap
          FROM activity WHERE project_id = ${projectId} AND purpose = ${purpose} AND grain = 'day' AND bucket >= ${from} AND bucket < ${to}
        ) AS g WHERE gap IS NOT NULL GROUP BY gap ORDER BY gap`)];
    },

    async sessionDurations(projectId, from, to, edges: readonly number[], eligibility: PurposeEligibility): Promise<SessionBin[]> {
      // Edges are numbers we own, inlined so the CASE stays one statement shape per edge list.
      const cases = edges.map((edge, bin) => (bin === 0 ? '' : `WHEN d >= ${Math.floor(edge)} THEN ${bin}`)).filter(Boolean).reverse().join(' ');
      const allowed =
        eligibility.basis === 'consent'
          ? sql`AND NOT u.consent_withdrawn AND u.consent_version COLLATE "C" >= ${eligibility.consentSince} AND u.consent_granted::jsonb ? ${eligibility.purpose}`
          : eligibility.basis === 'legitimate_interest'
            ? sql`AND NOT u.consent_withdrawn AND u.consent_version COLLATE "C" >= ${eligibility.consentSince} AND NOT (u.objected::jsonb ? ${eligibility.purpose})`
            : sql``;
      return [...(await sql<SessionBin[]>`
        SELECT ${sql.unsafe(cases === '' ? '0' : `CASE ${cases} ELSE 0 END`)} AS bin, count(*) AS sessions, count(DISTINCT pseudonym) AS subjects FROM (
          SELECT s.pseudonym, coalesce(s.ended_at, s.last_seen_at) - s.started_at AS d
          FROM sessions s JOIN subjects u ON u.project_id = s.project_id AND u.pseudonym = s.pseudonym
          WHERE s.project_id = ${projectId} AND s.started_at >= ${from} AND s.started_at < ${to} AND NOT u.restricted AND NOT u.erased ${allowed}
        ) AS b GROUP BY bin ORDER BY bin`)];
    },
  };
}
