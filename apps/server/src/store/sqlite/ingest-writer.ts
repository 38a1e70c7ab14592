/**
 * The ingest transaction: insert events (their unique key dedupes retries) and where each
 * subject's went, fold them into sessions, mark distinct subjects, and upsert the aggregates
 * (`aggregate-writer.ts`) and suppression counts, all in one transaction so the aggregates
 * never disagree with the events they count. Prepared statements, because this runs per
 * event on the hot path.
 *
 * Group commit (`../group-commit/`): the batches that arrive within one turn of the event
 * loop share one IMMEDIATE transaction; what they add to sessions, activity and aggregates is
 * written once per key for the whole group, which is most of the work for small batches. A
 * batch is answered only after the shared commit. If the group fails, each batch is written
 * again in a transaction of its own, so a bad batch fails alone.
 */
import { foldSessions, planAggregates } from '../../aggregates/aggregate-plan.js';
import type { IngestResult, IngestWrite, LateReason } from '../store.js';
import { groupOrAlone, type Attempt } from '../group-commit/group-or-alone.js';
import { batchResult, shareByProject, suppressionKey, type StoredBatch } from '../group-commit/project-share.js';
import { createGroupCommit, type GroupOutcome } from '../group-commit/queue.js';
import { runSync } from '../rules/script.js';
import { createAggregateWriter } from './aggregate-writer.js';
import type { SqliteConnection } from './connection.js';

/** The statements of a group, prepared once per store. */
function prepareGroupStatements({ client }: SqliteConnection) {
  return {
    insertEvent: client.prepare(
      `INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    // `changed`: one more than the highest ever given, so it rises in commit order and a
    // number freed by a delete is not given again (schema.ts, sessionFeedHead).
    upsertSession: client.prepare(
      `INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, ended_at, active_ms, events, changed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, max(coalesce((SELECT max(changed) FROM sessions), 0), coalesce((SELECT value FROM session_feed_head), 0)) + 1)
       ON CONFLICT (project_id, session_id) DO UPDATE SET
         started_at = min(started_at, excluded.started_at),
         last_seen_at = max(last_seen_at, excluded.last_seen_at),
         ended_at = coalesce(excluded.ended_at, ended_at),
         active_ms = active_ms + excluded.active_ms,
         events = events + excluded.events,
         changed = excluded.changed`,
    ),
    // One row per batch and subject: where its events went (see `subject_runs` in schema.ts).
    insertRun: client.prepare('INSERT INTO subject_runs (project_id, pseudonym, first_seq, last_seq) VALUES (?, ?, ?, ?)'),
    upsertSuppression: client.prepare(
      `INSERT INTO suppressions (project_id, day, reason, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, day, reason) DO UPDATE SET count = count + excluded.count`,
    ),
    touchSubject: client.prepare(
      `UPDATE subjects SET tz = ?, device = ?, last_seen_at = max(coalesce(last_seen_at, 0), ?)
       WHERE project_id = ? AND pseudonym = ?`,
    ),
    // Read inside the transaction: a subject erased or restricted after its batch was decided
    // (an erasure request runs between the decision and the group commit) gets nothing stored.
    subjectFlags: client.prepare<[string, string], { erased: number; restricted: number }>(
      'SELECT erased, restricted FROM subjects WHERE project_id = ? AND pseudonym = ?',
    ),
  };
}

/** What a group writes with: the connection, its statements and the aggregate writer. */
interface GroupWriter {
  readonly connection: SqliteConnection;
  readonly statements: ReturnType<typeof prepareGroupStatements>;
  readonly aggregates: ReturnType<typeof createAggregateWriter>;
}

/** Why a subject may no longer have events stored, as of this transaction, if it may not. */
function lateReason(writer: GroupWriter, projectId: string, pseudonym: string): LateReason | undefined {
  const flags = writer.statements.subjectFlags.get(projectId, pseudonym);
  if (flags?.erased) return 'erased';
  if (flags?.restricted) return 'restricted';
  return undefined;
}

/**
 * One batch's events. Each subject's stored events of the batch lie between the first and
 * last `seq` it was given.
 */
function insertEvents(writer: GroupWriter, write: IngestWrite): StoredBatch {
  const { insertEvent, insertRun } = writer.statements;
  const stored: StoredBatch = { write, inserted: [], late: {}, lateCount: 0 };
  const runs = new Map<string, { first: number | bigint; last: number | bigint }>();
  // A batch's events mostly share one subject and one purpose list: look the subject's
  // flags up, and join the list, once per run of equal ones, not per event.
  let pseudonym: string | undefined;
  let refused: LateReason | undefined;
  let purposes: readonly string[] | undefined;
  let purposesText = '';
  for (const event of write.events) {
    if (event.pseudonym !== pseudonym) {
      pseudonym = event.pseudonym;
      refused = lateReason(writer, write.projectId, pseudonym);
    }
    if (refused) {
      stored.late[refused] = (stored.late[refused] ?? 0) + 1;
      stored.lateCount++;
      continue;
    }
    if (event.purposes !== purposes) {
      purposes = event.purposes;
      purposesText = purposes.join(',');
    }
    const result = insertEvent.run(
      write.projectId, event.id, event.pseudonym, event.sessionId, event.type, event.ts, write.receivedAt,
      event.name, event.durationMs, event.activeMs, event.propsJson, purposesText,
    );
    if (result.changes === 0) continue;
    stored.inserted.push(event);
    const run = runs.get(event.pseudonym);
    if (run) run.last = result.lastInsertRowid;
    else runs.set(event.pseudonym, { first: result.lastInsertRowid, last: result.lastInsertRowid });
  }
  for (const [subject, { first, last }] of runs) insertRun.run(write.projectId, subject, first, last);
  return stored;
}

/**
 * What a group's stored events add up to, written once per key for the whole group: the
 * batches of one turn mostly share their project, hour, purposes and sessions, so the
 * sessions, activity marks and counters cost a handful of upserts per group, not per batch.
 */
function applyGroup(writer: GroupWriter, stored: readonly StoredBatch[]): void {
  const { upsertSession, upsertSuppression, touchSubject } = writer.statements;
  for (const [projectId, project] of shareByProject(stored)) {
    for (const s of foldSessions(project.events)) {
      upsertSession.run(projectId, s.sessionId, s.pseudonym, s.startedAt, s.lastSeenAt, s.endedAt, s.activeMs, s.events);
    }
    writer.aggregates.apply(projectId, planAggregates(project.events), 1);
    for (const [key, count] of project.suppressed) {
      const { day, reason } = suppressionKey(key);
      upsertSuppression.run(projectId, day, reason, count);
    }
    for (const [pseudonym, { ts, tz, device }] of project.seen) touchSubject.run(tz, device, ts, projectId, pseudonym);
  }
}

/** Writes the batches in one transaction; throws if any of them (or the commit) fails. */
function writeTogether(writer: GroupWriter, writes: readonly IngestWrite[]): IngestResult[] {
  return writer.connection.writeTransaction(() => {
    const stored = writes.map((write) => insertEvents(writer, write));
    applyGroup(writer, stored);
    return stored.map(batchResult);
  });
}

/** A group in one transaction; if that fails, each batch in its own (`group-or-alone.ts`). */
function writeGroup(writer: GroupWriter, writes: readonly IngestWrite[]): GroupOutcome<IngestResult>[] {
  return runSync(groupOrAlone<IngestWrite, IngestResult>(writes), {
    attempt(items: readonly IngestWrite[]): Attempt<IngestResult> {
      try {
        return { ok: true, results: writeTogether(writer, items) };
      } catch (error) {
        return { ok: false, error };
      }
    },
  });
}

/**
 * The batches of one event-loop turn in one transaction (`../group-commit/queue.ts`), each answered
 * after the commit.
 *
 * @example const writer = createIngestWriter(connection); await writer.ingest(write) // { accepted: 50, duplicates: 0 }
 */
export function createIngestWriter(connection: SqliteConnection) {
  const writer: GroupWriter = { connection, statements: prepareGroupStatements(connection), aggregates: createAggregateWriter(connection) };
  const queue = createGroupCommit((writes: readonly IngestWrite[]) => writeGroup(writer, writes));
  return { ingest: queue.submit };
}
