/**
 * The ingest transaction on PostgreSQL, for a group of batches (`../group-commit/`): lock the
 * group's subjects, insert events (the primary key dedupes retries and concurrent copies:
 * `ON CONFLICT DO NOTHING RETURNING` says which rows are new), fold the new ones into
 * sessions, then the aggregates and suppression counts, all in one transaction. Two processes
 * that receive the same event at the same moment both try the insert; PostgreSQL lets exactly
 * one of them insert it, and only that one counts it.
 *
 * The batches that arrive in one turn of the event loop share a transaction, with up to
 * `inFlight` groups written at once on as many pooled connections; a group that fails is
 * written again batch by batch, so only a failing batch fails (`group-or-alone.ts`). Counters
 * go to the connection's writer slot (`aggregate-writer.ts`): neither the groups of one
 * process nor those of another wait on a counter row.
 */
import type { PendingQuery, Row } from 'postgres';
import { foldSessions, planAggregates, type SessionFold } from '../../aggregates/aggregate-plan.js';
import { groupOrAlone, type Attempt } from '../group-commit/group-or-alone.js';
import { batchResult, shareByProject, suppressionKey, type ProjectShare, type StoredBatch } from '../group-commit/project-share.js';
import { createGroupCommit } from '../group-commit/queue.js';
import { runAsync } from '../rules/script.js';
import type { AcceptedEvent, IngestResult, IngestWrite, LateReason } from '../store.js';
import { planParts, WRITER_SLOT } from './aggregate-writer.js';
import type { PostgresConnection, Tx } from './connection.js';
import { isMissingPartition } from './partitions/missing-partition.js';

/** An event's identity, as the primary key sees it: a retry resends both unchanged. */
const eventKey = (projectId: string, event: { ts: number; id: string }) => `${projectId}\u0000${event.ts}\u0000${event.id}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One statement: lock the group's subjects (always the first locks an ingest takes, in project
 * and pseudonym order), then insert the events of those still writable. A restriction or
 * erasure committed by another process after a batch's state was read is seen by the lock
 * (PostgreSQL rereads a locked row's newest version), and its events are counted as
 * suppressed instead. Art. 18 and 17 hold exactly; the other flags take effect from the next
 * batch (docs/scaling.md). Returns each subject's state and the keys of the rows the primary
 * key refused as already stored: usually none, so the answer stays a few rows, not one per event.
 * Those keys are a set difference (`EXCEPT`, hashed or sorted), not `NOT EXISTS`: the CTEs'
 * row estimates are 1, so PostgreSQL planned the anti-join as a nested loop, which compares
 * every candidate with every inserted row and cost ~9 ms of a 250-event group.
 */
async function lockAndInsert(tx: Tx, writes: readonly IngestWrite[], rows: readonly { write: IngestWrite; event: AcceptedEvent }[]) {
  const keys = [...new Set(writes.flatMap((write) => write.events.map((event) => `${write.projectId}\u0000${event.pseudonym}`)))].sort(byText);
  const split = keys.map((key) => key.split('\u0000') as [string, string]);
  const result = await tx<{ kind: 'subject' | 'duplicate'; projectId: string; pseudonym: string | null; late: LateReason | null; id: string | null; ts: number | null }[]>`
    WITH locked AS (
      SELECT s.project_id, s.pseudonym, CASE WHEN s.erased THEN 'erased' WHEN s.restricted THEN 'restricted' END AS late
      FROM subjects s JOIN unnest(${split.map(([project]) => project)}::text[], ${split.map(([, pseudonym]) => pseudonym)}::text[]) AS k(project_id, pseudonym)
        ON s.project_id = k.project_id AND s.pseudonym = k.pseudonym
      ORDER BY s.project_id COLLATE "C", s.pseudonym COLLATE "C" FOR NO KEY UPDATE OF s),
    candidates AS (
      SELECT e.* FROM unnest(
        ${rows.map((r) => r.write.projectId)}::text[], ${rows.map((r) => r.event.id)}::text[], ${rows.map((r) => r.event.pseudonym)}::text[],
        ${rows.map((r) => r.event.sessionId)}::text[], ${rows.map((r) => r.event.type)}::text[], ${rows.map((r) => r.event.ts)}::bigint[],
        ${rows.map((r) => r.write.receivedAt)}::bigint[], ${rows.map((r) => r.event.name)}::text[], ${rows.map((r) => r.event.durationMs)}::bigint[],
        ${rows.map((r) => r.event.activeMs)}::bigint[], ${rows.map((r) => r.event.propsJson)}::text[], ${rows.map((r) => r.event.purposes.join(','))}::text[]
      ) WITH ORDINALITY AS e(project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes, n)
      JOIN locked l ON l.project_id = e.project_id AND l.pseudonym = e.pseudonym AND l.late IS NULL),
    inserted AS (
      INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes)
      SELECT project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes FROM candidates ORDER BY n
      ON CONFLICT DO NOTHING RETURNING project_id, ts, id)
    SELECT 'subject' AS kind, project_id AS "projectId", pseudonym, late, NULL AS id, NULL::bigint AS ts FROM locked
    UNION ALL SELECT 'duplicate', d.project_id, NULL, NULL, d.id, d.ts
      FROM (SELECT project_id, ts, id FROM candidates EXCEPT SELECT project_id, ts, id FROM inserted) AS d`;
  const subjects = new Map<string, LateReason | undefined>();
  const duplicates = new Set<string>();
  for (const row of result) {
    if (row.kind === 'subject') subjects.set(`${row.projectId}\u0000${row.pseudonym!}`, row.late ?? undefined);
    else duplicates.add(eventKey(row.projectId, { ts: row.ts!, id: row.id! }));
  }
  return { subjects, duplicates };
}

/** Each batch's events: which were inserted (the first copy in the group), which came too late for their subject. */
async function storeEvents(tx: Tx, writes: readonly IngestWrite[]): Promise<StoredBatch[]> {
  const seen = new Set<string>();
  const candidates: { write: IngestWrite; event: AcceptedEvent; index: number; key: string }[] = [];
  writes.forEach((write, index) => {
    for (const event of write.events) {
      const key = eventKey(write.projectId, event);
      // The first copy of an event within the group wins; later copies are duplicates.
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ write, event, index, key });
    }
  });
  // Key order: concurrent groups take their index locks in one order.
  candidates.sort((a, b) => byText(a.write.projectId, b.write.projectId) || a.event.ts - b.event.ts || byText(a.event.id, b.event.id));
  const { subjects, duplicates } = await lockAndInsert(tx, writes, candidates);
  const stored: StoredBatch[] = writes.map((write) => ({ write, inserted: [], late: {}, lateCount: 0 }));
  writes.forEach((write, index) => {
    const batch = stored[index]!;
    for (const event of write.events) {
      const reason = subjects.get(`${write.projectId}\u0000${event.pseudonym}`);
      if (reason === undefined) continue;
      batch.late[reason] = (batch.late[reason] ?? 0) + 1;
      batch.lateCount++;
    }
  });
  // Inserted: a candidate of a writable subject that the primary key did not refuse.
  for (const candidate of candidates) {
    const subject = `${candidate.write.projectId}\u0000${candidate.event.pseudonym}`;
    if (subjects.has(subject) && subjects.get(subject) === undefined && !duplicates.has(candidate.key)) stored[candidate.index]!.inserted.push(candidate.event);
  }
  return stored;
}

/** The group's sessions of a project, folded into their rows (sorted: concurrent groups lock session rows in one order). */
function upsertSessions(tx: Tx, projectId: string, folds: readonly SessionFold[]): PendingQuery<Row[]> {
  return tx`
    INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, ended_at, active_ms, events, changed_xid)
    SELECT ${projectId}, s.*, pg_current_xact_id()::text::bigint FROM unnest(
      ${folds.map((f) => f.sessionId)}::text[], ${folds.map((f) => f.pseudonym)}::text[], ${folds.map((f) => f.startedAt)}::bigint[],
      ${folds.map((f) => f.lastSeenAt)}::bigint[], ${folds.map((f) => f.endedAt)}::bigint[], ${folds.map((f) => f.activeMs)}::bigint[],
      ${folds.map((f) => f.events)}::bigint[]) AS s
    ON CONFLICT (project_id, session_id) DO UPDATE SET
      started_at = least(sessions.started_at, excluded.started_at),
      last_seen_at = greatest(sessions.last_seen_at, excluded.last_seen_at),
      ended_at = coalesce(excluded.ended_at, sessions.ended_at),
      active_ms = sessions.active_ms + excluded.active_ms,
      events = sessions.events + excluded.events,
      changed_xid = excluded.changed_xid`;
}

/**
 * A project's share of the group: sessions, aggregates, suppression counts, subjects last
 * seen, as the CTEs of ONE statement. They do not depend on each other's results but for the
 * marks that feed the `subjects` counter (`aggregate-writer.ts`), and write different tables;
 * the subject rows they concern were locked by the group's first statement. One statement
 * instead of four saves PostgreSQL's per-statement work (bind, plan, executor start and end)
 * three times per group, and groups under load are mostly one batch (docs/scaling.md,
 * "Measured here").
 * Returned unsent: `pipelinedTransaction` sends it ahead of the COMMIT.
 */
function shareStatement(tx: Tx, projectId: string, share: ProjectShare): PendingQuery<Row[]> | undefined {
  const parts: PendingQuery<Row[]>[] = [];
  const folds = foldSessions(share.events).sort((a, b) => byText(a.sessionId, b.sessionId));
  if (folds.length > 0) parts.push(tx`sessions_written AS (${upsertSessions(tx, projectId, folds)})`);
  const plan = planParts(tx, projectId, planAggregates(share.events), 1);
  if (plan) parts.push(plan);
  if (share.suppressed.size > 0) {
    const counts = [...share.suppressed].map(([key, count]) => ({ ...suppressionKey(key), count })).sort((a, b) => a.day - b.day || byText(a.reason, b.reason));
    parts.push(tx`
      suppressed AS (INSERT INTO suppressions (project_id, slot, day, reason, count)
      SELECT ${projectId}, writer.slot, c.* FROM writer,
        unnest(${counts.map((c) => c.day)}::bigint[], ${counts.map((c) => c.reason)}::text[], ${counts.map((c) => c.count)}::bigint[]) AS c
      ON CONFLICT (project_id, day, reason, slot) DO UPDATE SET count = suppressions.count + excluded.count)`);
  }
  if (share.seen.size > 0) {
    // The project as a column of the rows, not a constant: joined on both key columns, the
    // update finds each subject by its key even on a table never analyzed (see `loadSubjects`).
    const touched = [...share.seen].sort(([a], [b]) => byText(a, b));
    parts.push(tx`
      seen AS (UPDATE subjects SET tz = t.tz, device = t.device, last_seen_at = greatest(coalesce(subjects.last_seen_at, 0), t.ts)
      FROM unnest(${touched.map(() => projectId)}::text[], ${touched.map(([pseudonym]) => pseudonym)}::text[], ${touched.map(([, seen]) => seen.ts)}::bigint[],
        ${touched.map(([, seen]) => seen.tz)}::text[], ${touched.map(([, seen]) => seen.device)}::text[]) AS t(project_id, pseudonym, ts, tz, device)
      WHERE subjects.project_id = t.project_id AND subjects.pseudonym = t.pseudonym)`);
  }
  if (parts.length === 0) return undefined;
  const ctes = parts.reduce((all, part) => tx`${all}, ${part}`);
  return tx`WITH ${WRITER_SLOT(tx)}, ${ctes} SELECT 1`;
}

/** Writes the batches in one transaction; rejects if any of them (or the commit) fails. */
async function writeTogether(connection: PostgresConnection, writes: readonly IngestWrite[]): Promise<IngestResult[]> {
  // Two round trips for the whole group: BEGIN with the lock-and-insert statement, then one
  // statement per project (sessions, marks, counters, suppressions, last seen) with COMMIT.
  return connection.pipelinedTransaction(async (tx) => {
    const stored = await storeEvents(tx, writes);
    const shares = [...shareByProject(stored)].sort(([a], [b]) => byText(a, b));
    const last = shares.map(([projectId, share]) => shareStatement(tx, projectId, share)).filter((statement) => statement !== undefined);
    return { result: stored.map(batchResult), last };
  });
}

export interface IngestWriterOptions {
  /** Groups written at once, each on a pooled connection; keep it below the pool size (reads need connections too). */
  readonly inFlight: number;
  /** Creates the events partitions of the days of these timestamps (`partitions/`), when an insert found one missing. */
  readonly ensurePartitions: (timestamps: readonly number[]) => Promise<void>;
}

/**
 * @example const writer = createIngestWriter(connection, { inFlight: 4, ensurePartitions }); await writer.ingest(write) // { accepted: 50, duplicates: 0 }
 */
export function createIngestWriter(connection: PostgresConnection, options: IngestWriterOptions) {
  async function attempt(items: readonly IngestWrite[]): Promise<Attempt<IngestResult>> {
    try {
      return { ok: true, results: await writeTogether(connection, items) };
    } catch (error) {
      if (!isMissingPartition(error)) return { ok: false, error };
      // A day without a partition yet (created a week ahead at start and by each retention
      // run; an event far in the past or a server that ran no retention for days): create
      // the group's days and write once more.
      try {
        await options.ensurePartitions(items.flatMap((write) => write.events.map((event) => event.ts)));
        return { ok: true, results: await writeTogether(connection, items) };
      } catch (again) {
        return { ok: false, error: again };
      }
    }
  }
  const queue = createGroupCommit(
    (writes: readonly IngestWrite[]) => runAsync(groupOrAlone<IngestWrite, IngestResult>(writes), { attempt }),
    { inFlight: options.inFlight },
  );
  return { ingest: queue.submit };
}
