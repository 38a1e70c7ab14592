/**
 * Adds an aggregate plan to PostgreSQL (sign 1) or takes it out (sign -1), inside the caller's
 * transaction. Each table gets one multi-row statement over `unnest` arrays (one round trip,
 * one prepared statement whatever the batch size), rows in a fixed order so that concurrent
 * processes lock the same rows in the same order and do not deadlock. Counters go to the
 * connection's writer slot (schema.ts, `aggregates.slot`): two transactions never add to one
 * row, so they never queue on its lock, and reads sum the slots. Activity marks cannot be
 * slotted (one row per subject and bucket is the point), but two writers only meet there
 * on the same subject in the same hour.
 */
import type { AggregatePlan } from '../../aggregates/aggregate-plan.js';
import type { MetricName } from '../../aggregates/metrics.js';
import type { Tx } from './connection.js';

interface Counter {
  purpose: string;
  grain: string;
  bucket: number;
  metric: MetricName;
  dim: string;
  value: number;
}

const byKey = (a: Counter, b: Counter) =>
  a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1
    : a.grain < b.grain ? -1 : a.grain > b.grain ? 1
      : a.bucket - b.bucket
        || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : 0);

async function upsertCounters(tx: Tx, projectId: string, counters: Counter[]): Promise<void> {
  if (counters.length === 0) return;
  counters.sort(byKey);
  await tx`
    WITH writer AS (SELECT heed_writer_slot() AS slot)
    INSERT INTO aggregates (project_id, slot, purpose, grain, bucket, metric, dim, value)
    SELECT ${projectId}, writer.slot, c.* FROM writer, unnest(
      ${counters.map((c) => c.purpose)}::text[], ${counters.map((c) => c.grain)}::text[], ${counters.map((c) => c.bucket)}::bigint[],
      ${counters.map((c) => c.metric)}::text[], ${counters.map((c) => c.dim)}::text[], ${counters.map((c) => c.value)}::bigint[]) AS c
    ON CONFLICT (project_id, purpose, grain, metric, bucket, dim, slot) DO UPDATE SET value = aggregates.value + excluded.value`;
}

/**
 * Distinct-subject marks change the `subjects` metric only when the mark itself was inserted
 * (or deleted): `RETURNING` tells which, so a subject active twice in an hour counts once even
 * when its two batches land in two processes at the same moment.
 *
 * @example await applyPlan(tx, 'p_1', planAggregates(events), 1);
 */
export async function applyPlan(tx: Tx, projectId: string, plan: AggregatePlan, sign: 1 | -1): Promise<void> {
  const marks = [...plan.activity].sort((a, b) =>
    a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : a.grain < b.grain ? -1 : a.grain > b.grain ? 1
      : a.bucket - b.bucket || (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
  let changed: { purpose: string; grain: string; bucket: number }[] = [];
  if (marks.length > 0) {
    const columns = [
      marks.map((m) => m.purpose), marks.map((m) => m.grain), marks.map((m) => m.bucket), marks.map((m) => m.pseudonym),
    ] as const;
    changed = sign === 1
      ? await tx`
          INSERT INTO activity (project_id, purpose, grain, bucket, pseudonym)
          SELECT ${projectId}, * FROM unnest(${columns[0]}::text[], ${columns[1]}::text[], ${columns[2]}::bigint[], ${columns[3]}::text[])
          ON CONFLICT DO NOTHING RETURNING purpose, grain, bucket`
      : await tx`
          DELETE FROM activity a USING unnest(${columns[0]}::text[], ${columns[1]}::text[], ${columns[2]}::bigint[], ${columns[3]}::text[])
            AS m(purpose, grain, bucket, pseudonym)
          WHERE a.project_id = ${projectId} AND a.purpose = m.purpose AND a.grain = m.grain AND a.bucket = m.bucket AND a.pseudonym = m.pseudonym
          RETURNING a.purpose, a.grain, a.bucket`;
  }
  const subjects = new Map<string, Counter>();
  for (const row of changed) {
    const key = `${row.purpose}\u0000${row.grain}\u0000${row.bucket}`;
    const entry = subjects.get(key);
    if (entry) entry.value += 1;
    else subjects.set(key, { purpose: row.purpose, grain: row.grain, bucket: row.bucket, metric: 'subjects', dim: '', value: 1 });
  }
  const counters: Counter[] = plan.counters.map((c) => ({ ...c, value: sign * c.value }));
  for (const s of subjects.values()) counters.push({ ...s, value: sign * s.value });
  await upsertCounters(tx, projectId, counters);
}
