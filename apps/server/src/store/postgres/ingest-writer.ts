/**
 * The ingest transaction on PostgreSQL: lock the batch's subjects, insert events (the primary
 * key dedupes retries and concurrent copies: `ON CONFLICT DO NOTHING RETURNING id` says which
 * rows are new), fold the new ones into sessions, then the aggregates and suppression counts,
 * all in one transaction. Two processes that receive the same event at the same moment both
 * try the insert; PostgreSQL lets exactly one of them insert it, and only that one counts it.
 */
import { foldSessions, planAggregates, type SessionFold } from '../../aggregates/aggregate-plan.js';
import { DAY_MS } from '../../aggregates/time-units.js';
import type { AcceptedEvent, IngestResult, IngestWrite, LateReason } from '../store.js';
import { applyPlan } from './aggregate-writer.js';
import type { PostgresConnection, Tx } from './connection.js';

/** An event's identity, as the primary key sees it: a retry resends both unchanged. */
const eventKey = (event: { ts: number; id: string }) => `${event.ts}:${event.id}`;

async function insertEvents(tx: Tx, write: IngestWrite, events: readonly AcceptedEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await tx<{ id: string; ts: number }[]>`
    INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, name, duration_ms, active_ms, props, purposes)
    SELECT ${write.projectId}, e.id, e.pseudonym, e.session_id, e.type, e.ts, ${write.receivedAt}, e.name, e.duration_ms, e.active_ms, e.props, e.purposes
    FROM unnest(
      ${events.map((e) => e.id)}::text[], ${events.map((e) => e.pseudonym)}::text[], ${events.map((e) => e.sessionId)}::text[],
      ${events.map((e) => e.type)}::text[], ${events.map((e) => e.ts)}::bigint[], ${events.map((e) => e.name)}::text[],
      ${events.map((e) => e.durationMs)}::bigint[], ${events.map((e) => e.activeMs)}::bigint[], ${events.map((e) => e.propsJson)}::text[],
      ${events.map((e) => e.purposes.join(','))}::text[]
    ) AS e(id, pseudonym, session_id, type, ts, name, duration_ms, active_ms, props, purposes)
    ON CONFLICT DO NOTHING RETURNING id, ts`;
  return new Set(rows.map(eventKey));
}

async function upsertSessions(tx: Tx, projectId: string, folds: readonly SessionFold[]): Promise<void> {
  if (folds.length === 0) return;
  await tx`
    INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, ended_at, active_ms, events)
    SELECT ${projectId}, * FROM unnest(
      ${folds.map((f) => f.sessionId)}::text[], ${folds.map((f) => f.pseudonym)}::text[], ${folds.map((f) => f.startedAt)}::bigint[],
      ${folds.map((f) => f.lastSeenAt)}::bigint[], ${folds.map((f) => f.endedAt)}::bigint[], ${folds.map((f) => f.activeMs)}::bigint[],
      ${folds.map((f) => f.events)}::bigint[])
    ON CONFLICT (project_id, session_id) DO UPDATE SET
      started_at = least(sessions.started_at, excluded.started_at),
      last_seen_at = greatest(sessions.last_seen_at, excluded.last_seen_at),
      ended_at = coalesce(excluded.ended_at, sessions.ended_at),
      active_ms = sessions.active_ms + excluded.active_ms,
      events = sessions.events + excluded.events`;
}

export function createIngestWriter(connection: PostgresConnection) {
  async function ingest(write: IngestWrite): Promise<IngestResult> {
    return connection.writeTransaction(async (tx) => {
      // Lock the subjects first (always the first lock an ingest takes, in pseudonym order):
      // a restriction or erasure committed by another process after this batch's state was
      // read is seen here, and its events are not stored but counted as suppressed. Art. 18 and
      // 17 hold exactly; the other flags take effect from the next batch (docs/scaling.md).
      const pseudonyms = [...new Set(write.events.map((event) => event.pseudonym))].sort();
      const rows = pseudonyms.length === 0 ? [] : await tx<{ pseudonym: string; erased: boolean; restricted: boolean }[]>`
        SELECT pseudonym, erased, restricted FROM subjects WHERE project_id = ${write.projectId} AND pseudonym = ANY(${pseudonyms}::text[])
        ORDER BY pseudonym FOR NO KEY UPDATE`;
      const refused = new Map<string, LateReason>();
      for (const row of rows) if (row.erased || row.restricted) refused.set(row.pseudonym, row.erased ? 'erased' : 'restricted');
      const writable = new Set(rows.filter((row) => !refused.has(row.pseudonym)).map((row) => row.pseudonym));
      const late: Partial<Record<LateReason, number>> = {};
      let lateCount = 0;
      for (const event of write.events) {
        const reason = refused.get(event.pseudonym);
        if (reason === undefined) continue;
        late[reason] = (late[reason] ?? 0) + 1;
        lateCount++;
      }
      // The first copy of an event within the batch wins, as it does in the SQLite store.
      const seen = new Set<string>();
      const candidates = write.events.filter((event) => writable.has(event.pseudonym) && !seen.has(eventKey(event)) && seen.add(eventKey(event)));
      // Key order: concurrent batches take their index locks in one order.
      const sorted = [...candidates].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const insertedKeys = await insertEvents(tx, write, sorted);
      const inserted = candidates.filter((event) => insertedKeys.has(eventKey(event)));

      // Sorted: concurrent batches lock session rows in one order.
      await upsertSessions(tx, write.projectId, foldSessions(inserted).sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0)));
      await applyPlan(tx, write.projectId, planAggregates(inserted), 1);

      const counts = new Map<string, number>();
      for (const [reason, count] of [...Object.entries(write.suppressed), ...Object.entries(late)]) counts.set(reason, (counts.get(reason) ?? 0) + count);
      const reasons = [...counts].filter(([, count]) => count > 0).sort(([a], [b]) => (a < b ? -1 : 1));
      if (reasons.length > 0) {
        const day = Math.floor(write.receivedAt / DAY_MS) * DAY_MS;
        await tx`
          INSERT INTO suppressions (project_id, day, reason, count)
          SELECT ${write.projectId}, ${day}, * FROM unnest(${reasons.map(([reason]) => reason)}::text[], ${reasons.map(([, count]) => count)}::bigint[])
          ON CONFLICT (project_id, day, reason) DO UPDATE SET count = suppressions.count + excluded.count`;
      }
      const lastSeen = new Map<string, number>();
      for (const event of inserted) lastSeen.set(event.pseudonym, Math.max(lastSeen.get(event.pseudonym) ?? 0, event.ts));
      if (lastSeen.size > 0) {
        const touched = [...lastSeen].sort(([a], [b]) => (a < b ? -1 : 1));
        await tx`
          UPDATE subjects SET tz = ${write.tz}, device = ${write.device}, last_seen_at = greatest(coalesce(subjects.last_seen_at, 0), t.ts)
          FROM unnest(${touched.map(([pseudonym]) => pseudonym)}::text[], ${touched.map(([, ts]) => ts)}::bigint[]) AS t(pseudonym, ts)
          WHERE subjects.project_id = ${write.projectId} AND subjects.pseudonym = t.pseudonym`;
      }
      return {
        accepted: inserted.length,
        duplicates: write.events.length - inserted.length - lateCount,
        ...(lateCount > 0 ? { lateSuppressed: late } : {}),
      };
    });
  }

  return { ingest };
}
