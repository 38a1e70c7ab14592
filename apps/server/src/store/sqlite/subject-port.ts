/**
 * The rules' port on SQLite (`../rules/subject-port.ts`): one prepared statement per
 * operation, run synchronously inside the rule's write transaction. SQLite takes the write
 * lock for the whole transaction up front (IMMEDIATE), so "locking" a row is a plain read.
 */
import type { SubjectPort } from '../rules/subject-port.js';
import type { EventRow, LedgerCheckpoint, LedgerEntry, SubjectKey } from '../store.js';
import type { SubjectRow } from '../subject-row.js';
import type { SqliteConnection } from './connection.js';
import { createAggregateWriter } from './aggregate-writer.js';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { loggedRemoval, logRemoval, pruneRemovalLog } from '../rules/stats-removal-log.js';

/**
 * The seqs of a subject's events (named parameters), from its runs (schema.ts). A run may
 * hold other subjects' events (a batch may mix subjects), so callers also filter on the
 * pseudonym.
 */
export const SUBJECT_SEQS = `SELECT e.seq FROM subject_runs r JOIN events e ON e.seq BETWEEN r.first_seq AND r.last_seq
  WHERE r.project_id = @projectId AND r.pseudonym = @pseudonym`;

/** The removal log's parameters; the time is SQLite's clock in epoch milliseconds, for the log's age limit. */
const REMOVAL_LOG = { project: '@project', epoch: '@epoch', now: "CAST(unixepoch('subsec') * 1000 AS INTEGER)" };

export const EVENT_COLUMNS = `id, type, ts, received_at AS receivedAt, session_id AS sessionId, name, duration_ms AS durationMs,
  active_ms AS activeMs, props, purposes`;

/**
 * A subject's events, for every statement that reads or deletes them: found by their seqs,
 * with the table NOT INDEXED so SQLite looks each seq up by rowid. Left to choose, it read them
 * through `events_key` (the project's equality, in the order `ORDER BY ts, id` wants), which is
 * every event of the project: 1.4 s per statement at 14.4 million events, for an erasure (two
 * statements) and an access answer, where the rowid lookups take 3 ms (subject-plans.test.ts).
 */
export const SUBJECT_EVENTS = `events NOT INDEXED WHERE seq IN (${SUBJECT_SEQS}) AND project_id = @projectId AND pseudonym = @pseudonym`;

/** A subject's events in time order (named parameters). */
export const SUBJECT_EVENTS_IN_ORDER = `SELECT ${EVENT_COLUMNS} FROM ${SUBJECT_EVENTS} ORDER BY ts, id`;

/**
 * A subject's activity marks in time order, through the subject's index: without INDEXED BY
 * SQLite read the project's marks through the primary key (a covering index, so it looked
 * cheaper) and sorted them, 4 s for an access answer at 100,000 subjects.
 */
export const SUBJECT_ACTIVITY_IN_ORDER = 'SELECT purpose, grain, bucket FROM activity INDEXED BY activity_subject WHERE project_id = ? AND pseudonym = ? ORDER BY bucket, grain, purpose';

/**
 * @example runSync(eraseSubject(entry, seal), createSqliteSubjectPort(connection))
 */
export function createSqliteSubjectPort(connection: SqliteConnection): SubjectPort {
  const { client } = connection;
  const aggregates = createAggregateWriter(connection);
  const q = {
    subject: client.prepare<[string, string], SubjectRow>('SELECT * FROM subjects WHERE project_id = ? AND pseudonym = ?'),
    insertSubject: client.prepare('INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    updateConsent: client.prepare(
      `UPDATE subjects SET consent_version = ?, consent_granted = ?, consent_withdrawn = 0, consent_at = ?, objected = ?
       WHERE project_id = ? AND pseudonym = ?`,
    ),
    setFlags: client.prepare('UPDATE subjects SET restricted = ?, objected = ?, consent_withdrawn = ? WHERE project_id = ? AND pseudonym = ?'),
    events: client.prepare<[SubjectKey], EventRow>(SUBJECT_EVENTS_IN_ORDER),
    bumpStatsEpoch: client.prepare<[string], { epoch: number }>('UPDATE projects SET stats_epoch = stats_epoch + 1 WHERE id = ? RETURNING stats_epoch AS epoch'),
    logRemoval: client.prepare(logRemoval(REMOVAL_LOG, { ledgerSeq: '@ledgerSeq', removal: '@removal' })),
    pruneRemovals: client.prepare(pruneRemovalLog(REMOVAL_LOG)),
    deleteEvents: client.prepare<[SubjectKey]>(`DELETE FROM ${SUBJECT_EVENTS}`),
    deleteRuns: client.prepare('DELETE FROM subject_runs WHERE project_id = ? AND pseudonym = ?'),
    deleteSessions: client.prepare<[string, string], { key: number }>('DELETE FROM sessions WHERE project_id = ? AND pseudonym = ? RETURNING rowid AS key'),
    deleteActivity: client.prepare('DELETE FROM activity WHERE project_id = ? AND pseudonym = ?'),
    unlinkRequests: client.prepare("UPDATE rights_requests SET pseudonym = '' WHERE project_id = ? AND pseudonym = ?"),
    markErased: client.prepare(
      `UPDATE subjects SET erased = 1, tz = NULL, device = NULL, restricted = 0, last_seen_at = NULL WHERE project_id = ? AND pseudonym = ?`,
    ),
    insertToken: client.prepare('INSERT INTO subject_tokens (id, project_id, pseudonym, hash, created_at, channel) VALUES (?, ?, ?, ?, ?, ?)'),
    deleteTokens: client.prepare(
      `DELETE FROM subject_tokens WHERE project_id = @projectId AND pseudonym = @pseudonym AND id != coalesce(@keepId, '')
       AND id NOT IN (SELECT id FROM subject_tokens WHERE project_id = @projectId AND pseudonym = @pseudonym ORDER BY created_at DESC, id DESC LIMIT @keepNewest)`,
    ),
    addCounter: client.prepare(
      `INSERT INTO suppressions (project_id, day, reason, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, day, reason) DO UPDATE SET count = count + excluded.count`,
    ),
    head: client.prepare<[string], { seq: number; hash: string }>('SELECT seq, hash FROM ledger_heads WHERE project_id = ?'),
    insertLedger: client.prepare(
      `INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, policy_hash, detail, at, channel, auth, key_id, prev_hash, hash)
       VALUES (@projectId, @pseudonym, @action, @policyVersion, @policyHash, @detailJson, @at, @channel, @auth, @keyId, @prevHash, @hash)`,
    ),
    setHead: client.prepare(
      'INSERT INTO ledger_heads (project_id, seq, hash) VALUES (@projectId, @seq, @hash) ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
    ),
    unkeyed: client.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM consent_ledger WHERE project_id = ? AND key_id IS NULL)').pluck(),
    ledgerPage: client.prepare<[string, number, number], LedgerRowText>(
      `SELECT ${LEDGER_COLUMNS} FROM consent_ledger WHERE project_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    setHold: client.prepare('UPDATE subjects SET hold_ground = ?, hold_reason = ?, hold_until = ? WHERE project_id = ? AND pseudonym = ?'),
    checkpoint: client.prepare<[string], LedgerCheckpoint>(
      'SELECT project_id AS projectId, seq, hash, pruned, at, key_id AS keyId, seal FROM ledger_checkpoints WHERE project_id = ?',
    ),
    setCheckpoint: client.prepare(
      `INSERT INTO ledger_checkpoints (project_id, seq, hash, pruned, at, key_id, seal) VALUES (@projectId, @seq, @hash, @pruned, @at, @keyId, @seal)
       ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned = excluded.pruned, at = excluded.at, key_id = excluded.key_id, seal = excluded.seal`,
    ),
    deleteLedgerThrough: client.prepare('DELETE FROM consent_ledger WHERE project_id = ? AND seq <= ?'),
    latestDecision: client.prepare<[string, string], { seq: number }>(
      "SELECT max(seq) AS seq FROM consent_ledger WHERE project_id = ? AND pseudonym = ? AND action = 'decision'",
    ),
    reseal: client.prepare(
      `UPDATE consent_ledger SET channel = @channel, auth = @auth, policy_hash = @policyHash, key_id = @keyId, prev_hash = @prevHash, hash = @hash
       WHERE seq = @seq`,
    ),
  };
  return {
    lockSubject: (key) => q.subject.get(key.projectId, key.pseudonym),
    insertSubject: (key, keyId, at) => q.insertSubject.run(key.projectId, key.pseudonym, keyId, at).changes === 1,
    updateConsent(key, consent) {
      q.updateConsent.run(consent.version, consent.granted, consent.at, consent.objected, key.projectId, key.pseudonym);
    },
    setFlags(key, flags) {
      q.setFlags.run(flags.restricted ? 1 : 0, flags.objected, flags.withdrawn ? 1 : 0, key.projectId, key.pseudonym);
      return q.subject.get(key.projectId, key.pseudonym)!;
    },
    heldEvents: (key) => q.events.all({ projectId: key.projectId, pseudonym: key.pseudonym }),
    applyPlan: (projectId, plan, sign) => aggregates.apply(projectId, plan, sign),
    bumpStatsEpoch(projectId, removal, ledgerSeq) {
      const row = q.bumpStatsEpoch.get(projectId);
      if (!row) return;
      q.logRemoval.run({ project: projectId, epoch: row.epoch, ...loggedRemoval(removal, ledgerSeq) });
      q.pruneRemovals.run({ project: projectId, epoch: row.epoch });
    },
    deleteEvents(key) {
      const deleted = q.deleteEvents.run({ projectId: key.projectId, pseudonym: key.pseudonym }).changes;
      q.deleteRuns.run(key.projectId, key.pseudonym);
      return deleted;
    },
    deleteSessions: (key) => q.deleteSessions.all(key.projectId, key.pseudonym).map((row) => row.key),
    deleteActivity: (key) => q.deleteActivity.run(key.projectId, key.pseudonym).changes,
    unlinkRequests(key) {
      q.unlinkRequests.run(key.projectId, key.pseudonym);
    },
    markErased(key) {
      q.markErased.run(key.projectId, key.pseudonym);
    },
    insertToken(key, token, at) {
      q.insertToken.run(token.id, key.projectId, key.pseudonym, token.hash, at, token.channel);
    },
    addCounter(projectId, day, reason, count) {
      q.addCounter.run(projectId, day, reason, count);
    },
    deleteTokens: (key, keep) =>
      q.deleteTokens.run({ projectId: key.projectId, pseudonym: key.pseudonym, keepId: keep.keepId ?? null, keepNewest: keep.keepNewest ?? 0 }).changes,
    lockLedgerHead: (projectId) => q.head.get(projectId),
    insertLedgerEntry: (row) => Number(q.insertLedger.run(row).lastInsertRowid),
    setLedgerHead(head) {
      q.setHead.run(head);
    },
    hasUnkeyedEntries: (projectId) => q.unkeyed.get(projectId) === 1,
    ledgerPage: (projectId, afterSeq, limit): LedgerEntry[] => q.ledgerPage.all(projectId, afterSeq, limit).map(parseLedgerRow),
    setHold(key, hold) {
      q.setHold.run(hold?.ground ?? null, hold?.reason ?? null, hold?.until ?? null, key.projectId, key.pseudonym);
    },
    ledgerCheckpoint: (projectId) => q.checkpoint.get(projectId),
    setLedgerCheckpoint(checkpoint) {
      q.setCheckpoint.run(checkpoint);
    },
    deleteLedgerThrough: (projectId, seq) => q.deleteLedgerThrough.run(projectId, seq).changes,
    latestDecisionSeq: (key) => q.latestDecision.get(key.projectId, key.pseudonym)?.seq ?? undefined,
    resealEntry(seq, seal) {
      q.reseal.run({ seq, ...seal });
    },
  };
}
