/**
 * Adds an aggregate plan to SQLite (sign 1) or takes it out (sign -1), inside the caller's
 * transaction: ingest adds what new events planned, restriction and erasure take out what a
 * subject's held events had added. Prepared statements, one row each: SQLite runs in this
 * process, so a statement costs no round trip and a multi-row form would save nothing.
 * Upserts add with `ON CONFLICT ... DO UPDATE SET value = value + excluded.value`.
 */
import type { AggregatePlan } from '../../aggregates/aggregate-plan.js';
import type { MetricName } from '../../aggregates/metrics.js';
import type { MarkGrain } from '../stats-store.js';
import type { SqliteConnection } from './connection.js';

interface SubjectsCount {
  readonly purpose: string;
  readonly grain: string;
  readonly bucket: number;
  value: number;
}

const SUBJECTS: MetricName = 'subjects';

/**
 * @example const aggregates = createAggregateWriter(connection); aggregates.apply('p_1', planAggregates(events), 1);
 */
export function createAggregateWriter(connection: SqliteConnection) {
  const { client, markChanges } = connection;
  const insertActivity = client.prepare(
    'INSERT INTO activity (project_id, purpose, grain, bucket, pseudonym) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const deleteActivity = client.prepare(
    'DELETE FROM activity WHERE project_id = ? AND purpose = ? AND grain = ? AND bucket = ? AND pseudonym = ?',
  );
  const upsertAggregate = client.prepare(
    `INSERT INTO aggregates (project_id, purpose, grain, bucket, metric, dim, value) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, purpose, grain, bucket, metric, dim) DO UPDATE SET value = value + excluded.value`,
  );

  /**
   * Counters, and distinct-subject marks that change the `subjects` metric only when the mark
   * itself was inserted or deleted: a subject active twice in an hour counts once.
   */
  function apply(projectId: string, plan: AggregatePlan, sign: 1 | -1): void {
    const subjects = new Map<string, SubjectsCount>();
    const marks = sign === 1 ? insertActivity : deleteActivity;
    for (const mark of plan.activity) {
      if (marks.run(projectId, mark.purpose, mark.grain, mark.bucket, mark.pseudonym).changes === 0) continue;
      const key = `${mark.purpose}\u0000${mark.grain}\u0000${mark.bucket}`;
      const entry = subjects.get(key);
      if (entry) entry.value += 1;
      else subjects.set(key, { purpose: mark.purpose, grain: mark.grain, bucket: mark.bucket, value: 1 });
    }
    for (const c of plan.counters) upsertAggregate.run(projectId, c.purpose, c.grain, c.bucket, c.metric, c.dim, sign * c.value);
    for (const s of subjects.values()) {
      upsertAggregate.run(projectId, s.purpose, s.grain, s.bucket, SUBJECTS, '', sign * s.value);
      markChanges.touch(projectId, { grain: s.grain as MarkGrain, purpose: s.purpose, bucket: s.bucket });
    }
  }

  return { apply };
}
