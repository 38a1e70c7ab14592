/**
 * Folds writer slots: the counters of a closed hour or day (no writer adds to them but for the
 * odd late event) move from their writers' slots into slot 0, which no writer uses
 * (`heed_writer_slot()` starts at 1). A read of weeks of counters then sums one row per
 * counter instead of one per connection that ever wrote it (ten times fewer at a pool of 10).
 * One statement per table: the rows deleted are the rows added, so a sum never changes; a
 * writer adding to a row being folded waits for the fold and then inserts a new slot row.
 * The projects whose slot 0 changed get a new `counters_epoch` in the same statement.
 */
import { DAY_MS, HOUR_MS } from '../../../aggregates/time-units.js';
import type { PostgresConnection } from '../connection.js';

/**
 * @example await foldWriterSlots(connection, Date.now(), 'p_1') // folds p_1's closed hours and days
 */
export async function foldWriterSlots(connection: PostgresConnection, now: number, projectId?: string): Promise<void> {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  const { sql } = connection;
  const project = projectId === undefined ? sql`` : sql`AND project_id = ${projectId}`;
  await connection.writeTransaction(async (tx) => {
    await tx`
      WITH moved AS (
        DELETE FROM aggregates WHERE slot <> 0 ${project} AND ((grain = 'hour' AND bucket < ${hour}) OR (grain = 'day' AND bucket < ${day}))
        RETURNING project_id, purpose, grain, metric, bucket, dim, value),
      -- Slot 0 changes here: processes that keep it in memory read it again (folded-counters/).
      bumped AS (UPDATE projects SET counters_epoch = counters_epoch + 1 WHERE id IN (SELECT project_id FROM moved))
      INSERT INTO aggregates (project_id, purpose, grain, metric, bucket, dim, slot, value)
      SELECT project_id, purpose, grain, metric, bucket, dim, 0, sum(value) FROM moved
      GROUP BY project_id, purpose, grain, metric, bucket, dim
      ON CONFLICT (project_id, purpose, grain, metric, bucket, dim, slot) DO UPDATE SET value = aggregates.value + excluded.value`;
    await tx`
      WITH moved AS (DELETE FROM suppressions WHERE slot <> 0 ${project} AND day < ${day} RETURNING project_id, day, reason, count)
      INSERT INTO suppressions (project_id, day, reason, slot, count)
      SELECT project_id, day, reason, 0, sum(count) FROM moved GROUP BY project_id, day, reason
      ON CONFLICT (project_id, day, reason, slot) DO UPDATE SET count = suppressions.count + excluded.count`;
  });
}
