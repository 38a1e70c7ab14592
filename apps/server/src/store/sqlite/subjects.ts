/**
 * Subjects and their rights in SQLite: the store's rules (`../rules/`) run synchronously
 * inside one write transaction each, over the SQLite port; the reads for the access answer
 * and token lookups are here.
 */
import { appendLedger } from '../rules/append-ledger.js';
import { changeFlags } from '../rules/change-flags.js';
import { eraseSubject } from '../rules/erase-subject.js';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { recordConsent } from '../rules/record-consent.js';
import { runSync } from '../rules/script.js';
import { LedgerSealRefused, sealLegacyLedger } from '../rules/seal-legacy-ledger.js';
import { setLegalHold } from '../rules/legal-hold.js';
import { issueToken } from '../rules/subject-tokens.js';
import type { EventRow, LedgerSeal, RightsRequestRow, SubjectData, SubjectRecord, SubjectStore, SubjectTokenRow } from '../store.js';
import { toSubjectRecord, type SubjectRow } from '../subject-row.js';
import type { SqliteConnection } from './connection.js';
import { SUBJECT_ACTIVITY_IN_ORDER, SUBJECT_EVENTS_IN_ORDER, createSqliteSubjectPort } from './subject-port.js';

const REQUEST_COLUMNS = `id, project_id AS projectId, pseudonym, kind, via, received_at AS receivedAt, due_at AS dueAt,
  completed_at AS completedAt, outcome, state, original_due_at AS originalDueAt, extension_reason AS extensionReason,
  notice_at AS noticeAt, refusal_ground AS refusalGround`;

export function createSubjectRepository(connection: SqliteConnection, seal: LedgerSeal): SubjectStore {
  const { client } = connection;
  const port = createSqliteSubjectPort(connection);
  const write = async <T>(work: () => T): Promise<T> => connection.writeTransaction(work);
  const q = {
    subject: client.prepare<[string, string], SubjectRow>('SELECT * FROM subjects WHERE project_id = ? AND pseudonym = ?'),
    byToken: client.prepare<[string], SubjectRow & { token_id: string }>(
      'SELECT s.*, t.id AS token_id FROM subject_tokens t JOIN subjects s ON s.project_id = t.project_id AND s.pseudonym = t.pseudonym WHERE t.hash = ?',
    ),
    // The correction goes in its own column too, so the next batch's report cannot undo it (subject-row.ts).
    rectify: client.prepare(
      `UPDATE subjects SET tz = coalesce(@tz, tz), device = coalesce(@device, device), corrected = json_patch(corrected, @patch)
       WHERE project_id = @projectId AND pseudonym = @pseudonym`,
    ),
    events: client.prepare<[{ projectId: string; pseudonym: string }], EventRow>(SUBJECT_EVENTS_IN_ORDER),
    sessions: client.prepare(
      `SELECT session_id AS sessionId, started_at AS startedAt, last_seen_at AS lastSeenAt, ended_at AS endedAt, active_ms AS activeMs, events
       FROM sessions WHERE project_id = ? AND pseudonym = ? ORDER BY started_at`,
    ),
    activity: client.prepare(SUBJECT_ACTIVITY_IN_ORDER),
    ledger: client.prepare<[string, string], LedgerRowText>(`SELECT ${LEDGER_COLUMNS} FROM consent_ledger WHERE project_id = ? AND pseudonym = ? ORDER BY seq`),
    tokens: client.prepare<[string, string], SubjectTokenRow>(
      'SELECT id, created_at AS createdAt, channel FROM subject_tokens WHERE project_id = ? AND pseudonym = ? ORDER BY created_at, id',
    ),
    requests: client.prepare(`SELECT ${REQUEST_COLUMNS} FROM rights_requests WHERE project_id = ? AND pseudonym = ? ORDER BY received_at`),
    projectRequests: client.prepare(`SELECT ${REQUEST_COLUMNS} FROM rights_requests WHERE project_id = ? ORDER BY (completed_at IS NOT NULL), due_at`),
    insertRequest: client.prepare(
      `INSERT INTO rights_requests (id, project_id, pseudonym, kind, via, received_at, due_at, completed_at, outcome, state, original_due_at,
         extension_reason, notice_at, refusal_ground)
       VALUES (@id, @projectId, @pseudonym, @kind, @via, @receivedAt, @dueAt, @completedAt, @outcome, @state, @originalDueAt, @extensionReason, @noticeAt, @refusalGround)`,
    ),
    request: client.prepare<[string, string], RightsRequestRow>(`SELECT ${REQUEST_COLUMNS} FROM rights_requests WHERE project_id = ? AND id = ?`),
    changeRequest: client.prepare(
      `UPDATE rights_requests SET state = @state, due_at = coalesce(@dueAt, due_at), extension_reason = coalesce(@extensionReason, extension_reason),
         notice_at = coalesce(@noticeAt, notice_at), refusal_ground = coalesce(@refusalGround, refusal_ground),
         completed_at = coalesce(@completedAt, completed_at), outcome = coalesce(@outcome, outcome)
       WHERE project_id = @projectId AND id = @id AND state IN (SELECT value FROM json_each(@from))`,
    ),
  };

  return {
    async loadSubjects(projectId, pseudonyms) {
      const found = new Map<string, SubjectRecord>();
      for (const pseudonym of pseudonyms) {
        const row = q.subject.get(projectId, pseudonym);
        if (row) found.set(pseudonym, toSubjectRecord(row));
      }
      return found;
    },
    async findSubjectByToken(tokenHash) {
      const row = q.byToken.get(tokenHash);
      return row ? { subject: toSubjectRecord(row), tokenId: row.token_id } : undefined;
    },
    recordConsent: (consent) => write(() => runSync(recordConsent(consent, seal), port)),
    issueToken: (token, ledger) => write(() => runSync(issueToken(token, ledger, seal), port)),
    revokeTokens: (key, keepId) => write(() => port.deleteTokens(key, keepId === undefined ? {} : { keepId })),
    changeFlags: (change) => write(() => runSync(changeFlags(change, seal), port)),
    async rectify(projectId, pseudonym, patch) {
      connection.writeTransaction(() =>
        q.rectify.run({ tz: patch.tz ?? null, device: patch.device ?? null, patch: JSON.stringify(patch), projectId, pseudonym }),
      );
    },
    setLegalHold: (hold, ledger) => write(() => runSync(setLegalHold(hold, ledger, seal), port)),
    erase: (projectId, pseudonym, entry) => write(() => runSync(eraseSubject({ ...entry, projectId, pseudonym }, seal), port)),
    appendLedger: async (entry) => {
      connection.writeTransaction(() => runSync(appendLedger(entry, seal), port));
    },
    async sealLegacyLedger(projectId, reseal) {
      try {
        return connection.writeTransaction(() => runSync(sealLegacyLedger(projectId, reseal), port));
      } catch (error) {
        if (error instanceof LedgerSealRefused) return { sealed: 0, refused: { seq: error.seq, problem: error.problem } };
        throw error;
      }
    },
    async subjectData(projectId, pseudonym): Promise<SubjectData | undefined> {
      // One read transaction, so the parts of the answer agree with each other.
      return client.transaction(() => {
        const row = q.subject.get(projectId, pseudonym);
        if (!row) return undefined;
        return {
          subject: toSubjectRecord(row),
          ledger: q.ledger.all(projectId, pseudonym).map(parseLedgerRow),
          events: q.events.all({ projectId, pseudonym }),
          sessions: q.sessions.all(projectId, pseudonym) as SubjectData['sessions'],
          activity: q.activity.all(projectId, pseudonym) as SubjectData['activity'],
          requests: q.requests.all(projectId, pseudonym) as RightsRequestRow[],
          tokens: q.tokens.all(projectId, pseudonym),
        };
      }).deferred();
    },
    async logRightsRequest(row) {
      connection.writeTransaction(() => q.insertRequest.run(row));
    },
    async listRightsRequests(projectId) {
      return q.projectRequests.all(projectId) as RightsRequestRow[];
    },
    async changeRightsRequest(projectId, id, change) {
      return connection.writeTransaction(() => {
        const { from, ...fields } = change;
        const nulls = { dueAt: null, extensionReason: null, noticeAt: null, refusalGround: null, completedAt: null, outcome: null };
        const changed = q.changeRequest.run({ ...nulls, ...fields, from: JSON.stringify(from), projectId, id }).changes > 0;
        return changed ? q.request.get(projectId, id) : undefined;
      });
    },
  };
}
