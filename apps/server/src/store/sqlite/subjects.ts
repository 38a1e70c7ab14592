/**
 * Subjects and their rights in SQLite: consent decisions, flags (restriction, objection,
 * withdrawal), rectification, erasure and the access answer. Every change that affects what
 * the aggregates may count adjusts them in the same transaction.
 */
import { planAggregates } from '../../aggregates/aggregate-plan.js';
import type {
  ConsentWrite,
  ConsentWriteResult,
  EventRow,
  FlagChange,
  LedgerAppend,
  RightsRequestRow,
  SubjectData,
  SubjectRecord,
} from '../store.js';
import type { SqliteConnection } from './connection.js';
import { toSubjectRecord, type SubjectRow } from '../subject-row.js';
import { createAggregateWriter } from './aggregate-writer.js';
import { toAccepted } from '../../aggregates/held-event.js';

/**
 * The seqs of a subject's events (named parameters), from its runs (schema.ts). A run may
 * hold other subjects' events (a batch may mix subjects), so callers also filter on the
 * pseudonym.
 */
const SUBJECT_SEQS = `SELECT e.seq FROM subject_runs r JOIN events e ON e.seq BETWEEN r.first_seq AND r.last_seq
  WHERE r.project_id = @projectId AND r.pseudonym = @pseudonym`;

interface SubjectKey {
  projectId: string;
  pseudonym: string;
}

const EVENT_COLUMNS = `id, type, ts, received_at AS receivedAt, session_id AS sessionId, name, duration_ms AS durationMs,
  active_ms AS activeMs, props, purposes`;

export function createSubjectRepository(connection: SqliteConnection) {
  const { client } = connection;
  const aggregates = createAggregateWriter(connection);
  const q = {
    subject: client.prepare<[string, string], SubjectRow>('SELECT * FROM subjects WHERE project_id = ? AND pseudonym = ?'),
    byToken: client.prepare<[string], SubjectRow>('SELECT * FROM subjects WHERE token_hash = ?'),
    insertSubject: client.prepare('INSERT INTO subjects (project_id, pseudonym, key_id, created_at, token_hash) VALUES (?, ?, ?, ?, ?)'),
    updateConsent: client.prepare(
      `UPDATE subjects SET consent_version = ?, consent_granted = ?, consent_withdrawn = 0, consent_at = ?, objected = ?
       WHERE project_id = ? AND pseudonym = ?`,
    ),
    setFlags: client.prepare(
      `UPDATE subjects SET restricted = ?, objected = ?, consent_withdrawn = ? WHERE project_id = ? AND pseudonym = ?`,
    ),
    // See projects.stats_epoch: marks leave, so cached subject sets must be reloaded.
    bumpStatsEpoch: client.prepare('UPDATE projects SET stats_epoch = stats_epoch + 1 WHERE id = ?'),
    rectify: client.prepare('UPDATE subjects SET tz = coalesce(?, tz), device = coalesce(?, device) WHERE project_id = ? AND pseudonym = ?'),
    events: client.prepare<[SubjectKey], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq IN (${SUBJECT_SEQS}) AND project_id = @projectId AND pseudonym = @pseudonym ORDER BY ts, id`,
    ),
    sessions: client.prepare(
      `SELECT session_id AS sessionId, started_at AS startedAt, last_seen_at AS lastSeenAt, ended_at AS endedAt, active_ms AS activeMs, events
       FROM sessions WHERE project_id = ? AND pseudonym = ? ORDER BY started_at`,
    ),
    activity: client.prepare('SELECT purpose, grain, bucket FROM activity WHERE project_id = ? AND pseudonym = ? ORDER BY bucket, grain, purpose'),
    ledger: client.prepare(
      `SELECT seq, project_id AS projectId, pseudonym, action, policy_version AS policyVersion, detail AS detailJson, at, prev_hash AS prevHash, hash
       FROM consent_ledger WHERE project_id = ? AND pseudonym = ? ORDER BY seq`,
    ),
    requests: client.prepare(
      `SELECT id, project_id AS projectId, pseudonym, kind, via, received_at AS receivedAt, due_at AS dueAt, completed_at AS completedAt, outcome
       FROM rights_requests WHERE project_id = ? AND pseudonym = ? ORDER BY received_at`,
    ),
    projectRequests: client.prepare(
      `SELECT id, project_id AS projectId, pseudonym, kind, via, received_at AS receivedAt, due_at AS dueAt, completed_at AS completedAt, outcome
       FROM rights_requests WHERE project_id = ? ORDER BY (completed_at IS NOT NULL), due_at`,
    ),
    insertRequest: client.prepare(
      `INSERT INTO rights_requests (id, project_id, pseudonym, kind, via, received_at, due_at, completed_at, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteEvents: client.prepare<[SubjectKey]>(`DELETE FROM events WHERE seq IN (${SUBJECT_SEQS}) AND project_id = @projectId AND pseudonym = @pseudonym`),
    deleteRuns: client.prepare('DELETE FROM subject_runs WHERE project_id = ? AND pseudonym = ?'),
    deleteSessions: client.prepare('DELETE FROM sessions WHERE project_id = ? AND pseudonym = ?'),
    deleteActivity: client.prepare('DELETE FROM activity WHERE project_id = ? AND pseudonym = ?'),
    unlinkRequests: client.prepare("UPDATE rights_requests SET pseudonym = '' WHERE project_id = ? AND pseudonym = ?"),
    completeRequest: client.prepare('UPDATE rights_requests SET completed_at = ?, outcome = ? WHERE project_id = ? AND id = ? AND completed_at IS NULL'),
    markErased: client.prepare(
      `UPDATE subjects SET erased = 1, token_hash = NULL, tz = NULL, device = NULL, restricted = 0, last_seen_at = NULL
       WHERE project_id = ? AND pseudonym = ?`,
    ),
  };

  /** The plan of everything the subject's held events contributed to the aggregates. */
  const heldPlan = (projectId: string, pseudonym: string) =>
    planAggregates(q.events.all({ projectId, pseudonym }).map((row) => toAccepted(row, pseudonym)));

  return {
    async loadSubjects(projectId: string, pseudonyms: readonly string[]) {
      const found = new Map<string, SubjectRecord>();
      for (const pseudonym of pseudonyms) {
        const row = q.subject.get(projectId, pseudonym);
        if (row) found.set(pseudonym, toSubjectRecord(row));
      }
      return found;
    },

    async findSubjectByToken(tokenHash: string) {
      const row = q.byToken.get(tokenHash);
      return row ? toSubjectRecord(row) : undefined;
    },

    async recordConsent(write: ConsentWrite): Promise<ConsentWriteResult> {
      return connection.writeTransaction(() => {
        const existing = q.subject.get(write.projectId, write.pseudonym);
        if (existing?.erased) return { created: false, erased: true };
        if (!existing) q.insertSubject.run(write.projectId, write.pseudonym, write.keyId, write.at, write.newTokenHash);
        q.updateConsent.run(write.policyVersion, JSON.stringify(write.granted), write.at, JSON.stringify(write.objected), write.projectId, write.pseudonym);
        connection.appendLedger(write.ledger);
        return { created: !existing, erased: false };
      });
    },

    async changeFlags(change: FlagChange) {
      return connection.writeTransaction(() => {
        const row = q.subject.get(change.projectId, change.pseudonym);
        if (!row || row.erased) return undefined;
        const before = toSubjectRecord(row);
        const restricted = change.restricted ?? before.state.restricted;
        const objected = change.objected ?? before.state.objected;
        const withdrawn = change.withdrawn ?? before.state.consent?.withdrawn ?? false;
        if (restricted !== before.state.restricted) {
          // Art. 18: held data stays stored but counts in no statistic while restricted.
          aggregates.apply(change.projectId, heldPlan(change.projectId, change.pseudonym), restricted ? -1 : 1);
          q.bumpStatsEpoch.run(change.projectId);
        }
        q.setFlags.run(restricted ? 1 : 0, JSON.stringify(objected), withdrawn ? 1 : 0, change.projectId, change.pseudonym);
        connection.appendLedger(change.ledger);
        return toSubjectRecord(q.subject.get(change.projectId, change.pseudonym)!);
      });
    },

    async rectify(projectId: string, pseudonym: string, patch: { tz?: string; device?: string }) {
      connection.writeTransaction(() => q.rectify.run(patch.tz ?? null, patch.device ?? null, projectId, pseudonym));
    },

    async erase(projectId: string, pseudonym: string, ledger: LedgerAppend) {
      return connection.writeTransaction(() => {
        const row = q.subject.get(projectId, pseudonym);
        if (!row) return { events: 0, sessions: 0 };
        // A restricted subject's events are already out of the aggregates.
        if (!row.restricted && !row.erased) aggregates.apply(projectId, heldPlan(projectId, pseudonym), -1);
        const events = q.deleteEvents.run({ projectId, pseudonym }).changes;
        q.deleteRuns.run(projectId, pseudonym);
        const sessions = q.deleteSessions.run(projectId, pseudonym).changes;
        q.deleteActivity.run(projectId, pseudonym);
        q.bumpStatsEpoch.run(projectId);
        q.unlinkRequests.run(projectId, pseudonym);
        q.markErased.run(projectId, pseudonym);
        connection.appendLedger(ledger);
        return { events, sessions };
      });
    },

    async subjectData(projectId: string, pseudonym: string): Promise<SubjectData | undefined> {
      const row = q.subject.get(projectId, pseudonym);
      if (!row) return undefined;
      const ledger = (q.ledger.all(projectId, pseudonym) as (Omit<SubjectData['ledger'][number], 'detail'>)[]).map((entry) => ({
        ...entry,
        detail: JSON.parse(entry.detailJson) as Record<string, unknown>,
      }));
      return {
        subject: toSubjectRecord(row),
        ledger,
        events: q.events.all({ projectId, pseudonym }),
        sessions: q.sessions.all(projectId, pseudonym) as SubjectData['sessions'],
        activity: q.activity.all(projectId, pseudonym) as SubjectData['activity'],
        requests: q.requests.all(projectId, pseudonym) as RightsRequestRow[],
      };
    },

    async logRightsRequest(row: RightsRequestRow) {
      connection.writeTransaction(() =>
        q.insertRequest.run(row.id, row.projectId, row.pseudonym, row.kind, row.via, row.receivedAt, row.dueAt, row.completedAt, row.outcome),
      );
    },

    async listRightsRequests(projectId: string) {
      return q.projectRequests.all(projectId) as RightsRequestRow[];
    },

    async completeRightsRequest(projectId: string, id: string, completedAt: number, outcome: string) {
      return connection.writeTransaction(() => q.completeRequest.run(completedAt, outcome, projectId, id).changes > 0);
    },
  };
}
