/**
 * The ingest transaction: insert events (the primary key dedupes retries), fold them into
 * sessions, mark distinct subjects, and upsert the aggregates and suppression counts, all in
 * one IMMEDIATE transaction so the aggregates never disagree with the events they count.
 * Prepared statements, because this runs per event on the hot path.
 */
import { planAggregates, type AggregatePlan } from '../aggregate-plan.js';
import type { AcceptedEvent, IngestResult, IngestWrite } from '../store.js';
import type { SqliteConnection } from './connection.js';

export function createAggregateWriter(connection: SqliteConnection) {
  const { client } = connection;
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
   * Adds (sign 1) or takes out (sign -1) a plan: counters, and distinct-subject marks that
   * change the `subjects` metric only when the mark itself was inserted or deleted.
   */
  function apply(projectId: string, plan: AggregatePlan, sign: 1 | -1): void {
    const subjects = new Map<string, { purpose: string; grain: string; bucket: number; value: number }>();
    for (const mark of plan.activity) {
      const statement = sign === 1 ? insertActivity : deleteActivity;
      if (statement.run(projectId, mark.purpose, mark.grain, mark.bucket, mark.pseudonym).changes === 0) continue;
      const key = `${mark.purpose}\u0000${mark.grain}\u0000${mark.bucket}`;
      const entry = subjects.get(key);
      if (entry) entry.value += 1;
      else subjects.set(key, { purpose: mark.purpose, grain: mark.grain, bucket: mark.bucket, value: 1 });
    }
    for (const c of plan.counters) upsertAggregate.run(projectId, c.purpose, c.grain, c.bucket, c.metric, c.dim, sign * c.value);
    for (const s of subjects.values()) upsertAggregate.run(projectId, s.purpose, s.grain, s.bucket, 'subjects', '', sign * s.value);
  }

  return { apply };
}

export function createIngestWriter(connection: SqliteConnection) {
  const { client } = connection;
  const aggregates = createAggregateWriter(connection);
  const insertEvent = client.prepare(
    `INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const upsertSession = client.prepare(
    `INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, ended_at, active_ms, events)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (project_id, session_id) DO UPDATE SET
       started_at = min(started_at, excluded.started_at),
       last_seen_at = max(last_seen_at, excluded.last_seen_at),
       ended_at = coalesce(excluded.ended_at, ended_at),
       active_ms = active_ms + excluded.active_ms,
       events = events + 1`,
  );
  const upsertSuppression = client.prepare(
    `INSERT INTO suppressions (project_id, day, reason, count) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, day, reason) DO UPDATE SET count = count + excluded.count`,
  );
  const touchSubject = client.prepare(
    `UPDATE subjects SET tz = ?, device = ?, last_seen_at = max(coalesce(last_seen_at, 0), ?)
     WHERE project_id = ? AND pseudonym = ?`,
  );

  function ingest(write: IngestWrite): IngestResult {
    return connection.writeTransaction(() => {
      const inserted: AcceptedEvent[] = [];
      const lastSeen = new Map<string, number>();
      for (const event of write.events) {
        const changes = insertEvent.run(
          write.projectId, event.id, event.pseudonym, event.sessionId, event.type, event.ts, write.receivedAt,
          event.name, event.durationMs, event.activeMs, event.propsJson, event.purposes.join(','),
        ).changes;
        if (changes === 0) continue;
        inserted.push(event);
        upsertSession.run(
          write.projectId, event.sessionId, event.pseudonym, event.ts, event.ts,
          event.type === 'session_end' ? event.ts : null, event.activeMs ?? 0,
        );
        lastSeen.set(event.pseudonym, Math.max(lastSeen.get(event.pseudonym) ?? 0, event.ts));
      }
      aggregates.apply(write.projectId, planAggregates(inserted), 1);
      const day = Math.floor(write.receivedAt / 86_400_000) * 86_400_000;
      for (const [reason, count] of Object.entries(write.suppressed)) {
        if (count > 0) upsertSuppression.run(write.projectId, day, reason, count);
      }
      for (const [pseudonym, ts] of lastSeen) touchSubject.run(write.tz, write.device, ts, write.projectId, pseudonym);
      return { accepted: inserted.length, duplicates: write.events.length - inserted.length };
    });
  }

  return { ingest };
}
