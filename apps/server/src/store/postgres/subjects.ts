/**
 * Subjects and their rights in PostgreSQL: the store's rules (`../rules/`) run in one write
 * transaction each, over the PostgreSQL port (which locks what the rule decides on); the
 * reads for the access answer and token lookups are here.
 */
import { appendLedger } from '../rules/append-ledger.js';
import { changeFlags } from '../rules/change-flags.js';
import { eraseSubject } from '../rules/erase-subject.js';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { recordConsent } from '../rules/record-consent.js';
import { runAsync, type Script } from '../rules/script.js';
import { LedgerSealRefused, sealLegacyLedger } from '../rules/seal-legacy-ledger.js';
import type { SubjectPort } from '../rules/subject-port.js';
import { setLegalHold } from '../rules/legal-hold.js';
import { issueToken } from '../rules/subject-tokens.js';
import type { LedgerSeal, RightsRequestRow, SubjectData, SubjectRecord, SubjectStore, SubjectTokenRow } from '../store.js';
import { toSubjectRecord, type SubjectRow } from '../subject-row.js';
import type { PostgresConnection, Tx } from './connection.js';
import { createPostgresSubjectPort, heldEvents } from './subject-port.js';

const REQUEST_COLUMNS = `id, project_id AS "projectId", pseudonym, kind, via, received_at AS "receivedAt", due_at AS "dueAt",
  completed_at AS "completedAt", outcome, state, original_due_at AS "originalDueAt", extension_reason AS "extensionReason",
  notice_at AS "noticeAt", refusal_ground AS "refusalGround"`;

export function createSubjectRepository(connection: PostgresConnection, seal: LedgerSeal): SubjectStore {
  const { sql } = connection;
  const run = <T>(script: () => Script<SubjectPort, T>) => connection.writeTransaction((tx) => runAsync(script(), createPostgresSubjectPort(tx)));

  return {
    async loadSubjects(projectId, pseudonyms) {
      const found = new Map<string, SubjectRecord>();
      if (pseudonyms.length === 0) return found;
      // Joined on both key columns, as ingest's other subject statements: with `project_id = $1
      // AND pseudonym = ANY($2)`, a table never analyzed (a new database; autovacuum off) got
      // a plan that read every subject of the project to find one, on every batch.
      const rows = await sql<SubjectRow[]>`
        SELECT s.* FROM unnest(${pseudonyms.map(() => projectId)}::text[], ${[...pseudonyms]}::text[]) AS k(project_id, pseudonym)
        JOIN subjects s ON s.project_id = k.project_id AND s.pseudonym = k.pseudonym`;
      for (const row of rows) found.set(row.pseudonym, toSubjectRecord(row));
      return found;
    },
    async findSubjectByToken(tokenHash) {
      const [row] = await sql<(SubjectRow & { token_id: string })[]>`
        SELECT s.*, t.id AS token_id FROM subject_tokens t JOIN subjects s ON s.project_id = t.project_id AND s.pseudonym = t.pseudonym
        WHERE t.hash = ${tokenHash}`;
      return row ? { subject: toSubjectRecord(row), tokenId: row.token_id } : undefined;
    },
    recordConsent: (write) => run(() => recordConsent(write, seal)),
    issueToken: (token, ledger) => run(() => issueToken(token, ledger, seal)),
    revokeTokens: (key, keepId) => connection.writeTransaction((tx) => createPostgresSubjectPort(tx).deleteTokens(key, keepId === undefined ? {} : { keepId })),
    changeFlags: (change) => run(() => changeFlags(change, seal)),
    async rectify(projectId, pseudonym, patch) {
      await connection.writeTransaction((tx) => tx`
        UPDATE subjects SET tz = coalesce(${patch.tz ?? null}::text, tz), device = coalesce(${patch.device ?? null}::text, device),
          corrected = (corrected::jsonb || ${JSON.stringify(patch)}::jsonb)::text
        WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`);
    },
    setLegalHold: (hold, ledger) => run(() => setLegalHold(hold, ledger, seal)),
    erase: (projectId, pseudonym, entry) => run(() => eraseSubject({ ...entry, projectId, pseudonym }, seal)),
    async appendLedger(entry) {
      await run(() => appendLedger(entry, seal));
    },
    async sealLegacyLedger(projectId, reseal) {
      try {
        return await run(() => sealLegacyLedger(projectId, reseal));
      } catch (error) {
        if (error instanceof LedgerSealRefused) return { sealed: 0, refused: { seq: error.seq, problem: error.problem } };
        throw error;
      }
    },
    async subjectData(projectId, pseudonym): Promise<SubjectData | undefined> {
      // One snapshot, so the parts of the answer agree with each other.
      return sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [row] = await tx<SubjectRow[]>`SELECT * FROM subjects WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`;
        if (!row) return undefined;
        const ledger = await tx<LedgerRowText[]>`
          SELECT ${tx.unsafe(LEDGER_COLUMNS)} FROM consent_ledger WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} ORDER BY seq`;
        return {
          subject: toSubjectRecord(row),
          ledger: ledger.map(parseLedgerRow),
          events: [...(await heldEvents(tx as Tx, { projectId, pseudonym }))],
          sessions: [...(await tx<SubjectData['sessions']>`
            SELECT session_id AS "sessionId", started_at AS "startedAt", last_seen_at AS "lastSeenAt", ended_at AS "endedAt",
              active_ms AS "activeMs", events
            FROM sessions WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} ORDER BY started_at`)],
          activity: [...(await tx<SubjectData['activity']>`
            SELECT purpose, grain, bucket FROM activity WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}
            ORDER BY bucket, grain, purpose`)],
          requests: [...(await tx<RightsRequestRow[]>`
            SELECT ${tx.unsafe(REQUEST_COLUMNS)} FROM rights_requests WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}
            ORDER BY received_at`)],
          tokens: [...(await tx<SubjectTokenRow[]>`
            SELECT id, created_at AS "createdAt", channel FROM subject_tokens WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}
            ORDER BY created_at, id COLLATE "C"`)],
        };
      }) as Promise<SubjectData | undefined>;
    },
    async logRightsRequest(row) {
      await connection.writeTransaction((tx) => tx`
        INSERT INTO rights_requests (id, project_id, pseudonym, kind, via, received_at, due_at, completed_at, outcome, state, original_due_at,
          extension_reason, notice_at, refusal_ground)
        VALUES (${row.id}, ${row.projectId}, ${row.pseudonym}, ${row.kind}, ${row.via}, ${row.receivedAt}, ${row.dueAt}, ${row.completedAt}, ${row.outcome},
          ${row.state}, ${row.originalDueAt}, ${row.extensionReason}, ${row.noticeAt}, ${row.refusalGround})`);
    },
    async listRightsRequests(projectId) {
      return [...(await sql<RightsRequestRow[]>`
        SELECT ${sql.unsafe(REQUEST_COLUMNS)} FROM rights_requests WHERE project_id = ${projectId}
        ORDER BY (completed_at IS NOT NULL), due_at`)];
    },
    async changeRightsRequest(projectId, id, change) {
      const [row] = await connection.writeTransaction((tx) => tx<RightsRequestRow[]>`
        UPDATE rights_requests SET state = ${change.state}, due_at = coalesce(${change.dueAt ?? null}::bigint, due_at),
          extension_reason = coalesce(${change.extensionReason ?? null}::text, extension_reason), notice_at = coalesce(${change.noticeAt ?? null}::bigint, notice_at),
          refusal_ground = coalesce(${change.refusalGround ?? null}::text, refusal_ground), completed_at = coalesce(${change.completedAt ?? null}::bigint, completed_at),
          outcome = coalesce(${change.outcome ?? null}::text, outcome)
        WHERE project_id = ${projectId} AND id = ${id} AND state = ANY(${[...change.from]}::text[])
        RETURNING ${tx.unsafe(REQUEST_COLUMNS)}`);
      return row;
    },
  };
}
