/**
 * Adds an aggregate plan to PostgreSQL (sign 1) or takes it out (sign -1), inside the caller's
 * transaction: one statement over `unnest` arrays (one round trip, one prepared statement
 * whatever the batch size), rows in a fixed order so that concurrent processes lock the same
 * rows in the same order and do not deadlock. Counters go to the
 * connection's writer slot (schema.ts, `aggregates.slot`): two transactions never add to one
 * row, so they never queue on its lock, and reads sum the slots. Activity marks cannot be
 * slotted (one row per subject and bucket is the point), but two writers only meet there
 * on the same subject in the same hour.
 */
import type { PendingQuery, Row } from 'postgres';
import type { AggregatePlan } from '../../aggregates/aggregate-plan.js';
import type { Tx } from './connection.js';

/**
 * Distinct-subject marks change the `subjects` metric only when the mark itself was inserted
 * (or deleted): the marks statement's `RETURNING` feeds the counters in the same statement, so
 * a subject active twice in an hour counts once even when its two batches land in two
 * processes at the same moment, and a plan costs one round trip.
 *
 * The statement is returned unsent (postgres.js sends a query when it is awaited or executed),
 * so that ingest can pipeline it ahead of its COMMIT (`connection.ts`, `pipelinedTransaction`).
 *
 * @example await applyPlan(tx, 'p_1', planAggregates(events), 1);
 */
export function applyPlan(tx: Tx, projectId: string, plan: AggregatePlan, sign: 1 | -1): PendingQuery<Row[]> | undefined {
  const parts = planParts(tx, projectId, plan, sign);
  return parts && tx`WITH ${WRITER_SLOT(tx)}, ${parts} SELECT 1`;
}

/** The writer slot of the transaction's connection, as a CTE `writer(slot)` that `planParts` reads. */
export const WRITER_SLOT = (tx: Tx) => tx`writer AS (SELECT heed_writer_slot() AS slot)`;

/**
 * The plan as CTEs of a statement that has `WRITER_SLOT` before them: `marks` (the activity
 * rows inserted, or deleted), `counters` and `counted` (the upsert into the writer's slot).
 * Ingest writes them in the same statement as its sessions and last-seen times
 * (`ingest-writer.ts`): one statement per group instead of four, which is PostgreSQL's
 * per-statement work (bind, plan, executor start) and a socket write saved each time.
 * Undefined when the plan changes nothing.
 *
 * @example tx`WITH ${WRITER_SLOT(tx)}, ${planParts(tx, 'p_1', plan, 1)} SELECT 1`
 */
export function planParts(tx: Tx, projectId: string, plan: AggregatePlan, sign: 1 | -1): PendingQuery<Row[]> | undefined {
  if (plan.activity.length === 0 && plan.counters.length === 0) return undefined;
  const marks = [...plan.activity].sort((a, b) =>
    byText(a.purpose, b.purpose) || byText(a.grain, b.grain) || a.bucket - b.bucket || byText(a.pseudonym, b.pseudonym));
  const counters = plan.counters;
  const markColumns = markRows(tx, marks.map((m) => m.purpose), marks.map((m) => m.grain), marks.map((m) => m.bucket), marks.map((m) => m.pseudonym));
  const changed = sign === 1
    ? tx`INSERT INTO activity (project_id, purpose, grain, bucket, pseudonym)
        SELECT ${projectId}, m.* FROM ${markColumns}
        ON CONFLICT DO NOTHING RETURNING purpose, grain, bucket`
    : tx`DELETE FROM activity a USING ${markColumns}
        WHERE a.project_id = ${projectId} AND a.purpose = m.purpose AND a.grain = m.grain AND a.bucket = m.bucket AND a.pseudonym = m.pseudonym
        RETURNING a.purpose, a.grain, a.bucket`;
  return tx`
    marks AS (${changed}),
    counters AS (
      SELECT c.purpose, c.grain, c.bucket, c.metric, c.dim, c.value * ${sign} AS value FROM unnest(
        ${counters.map((c) => c.purpose)}::text[], ${counters.map((c) => c.grain)}::text[], ${counters.map((c) => c.bucket)}::bigint[],
        ${counters.map((c) => c.metric)}::text[], ${counters.map((c) => c.dim)}::text[], ${counters.map((c) => c.value)}::bigint[]
      ) AS c(purpose, grain, bucket, metric, dim, value)
      UNION ALL
      SELECT purpose, grain, bucket, 'subjects', '', count(*) * ${sign} FROM marks GROUP BY purpose, grain, bucket),
    counted AS (
      INSERT INTO aggregates (project_id, slot, purpose, grain, bucket, metric, dim, value)
      SELECT ${projectId}, writer.slot, purpose, grain, bucket, metric, dim, sum(value) FROM writer, counters
      GROUP BY writer.slot, purpose, grain, bucket, metric, dim
      ORDER BY purpose COLLATE "C", grain COLLATE "C", metric COLLATE "C", bucket, dim COLLATE "C"
      ON CONFLICT (project_id, purpose, grain, metric, bucket, dim, slot) DO UPDATE SET value = aggregates.value + excluded.value)`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The marks as a row source `m(purpose, grain, bucket, pseudonym)`. */
const markRows = (tx: Tx, purposes: string[], grains: string[], buckets: number[], pseudonyms: string[]) =>
  tx`unnest(${purposes}::text[], ${grains}::text[], ${buckets}::bigint[], ${pseudonyms}::text[]) AS m(purpose, grain, bucket, pseudonym)`;
