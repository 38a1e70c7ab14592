/**
 * Subjects and their rights in PostgreSQL: consent decisions, flags (restriction, objection,
 * withdrawal), rectification, erasure and the access answer. A change locks the subject row
 * first (`FOR UPDATE`), the same first lock an ingest takes, so a restriction or erasure and a
 * concurrent batch from another process are strictly ordered; aggregates are adjusted in the
 * same transaction.
 */
import { planAggregates } from '../../aggregates/aggregate-plan.js';
import type {
  ConsentWrite,
  ConsentWriteResult,
  EventRow,
  FlagChange,
  LedgerAppend,
  LedgerEntry,
  RightsRequestRow,
  SubjectData,
  SubjectRecord,
} from '../store.js';
import { applyPlan } from './aggregate-writer.js';
import type { PostgresConnection, Tx } from './connection.js';
import { toSubjectRecord, type SubjectRow } from '../subject-row.js';
import { toAccepted } from '../../aggregates/held-event.js';

const heldEvents = (sql: Tx | PostgresConnection['sql'], projectId: string, pseudonym: string) => sql<EventRow[]>`
  SELECT id, type, ts, received_at AS "receivedAt", session_id AS "sessionId", name, duration_ms AS "durationMs",
    active_ms AS "activeMs", props, purposes
  FROM events WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} ORDER BY ts, id COLLATE "C"`;

const lockSubject = async (tx: Tx, projectId: string, pseudonym: string) =>
  (await tx<SubjectRow[]>`SELECT * FROM subjects WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} FOR UPDATE`)[0];

const REQUEST_COLUMNS = 'id, project_id AS "projectId", pseudonym, kind, via, received_at AS "receivedAt", due_at AS "dueAt", completed_at AS "completedAt", outcome';

/** See projects.stats_epoch: marks leave, so cached subject sets must be reloaded. */
const bumpStatsEpoch = (tx: Tx, projectId: string) => tx`UPDATE projects SET stats_epoch = stats_epoch + 1 WHERE id = ${projectId}`;

export function createSubjectRepository(connection: PostgresConnection) {
  const { sql } = connection;

  /** The plan of everything the subject's held events contributed to the aggregates. */
  const heldPlan = async (tx: Tx, projectId: string, pseudonym: string) =>
    planAggregates((await heldEvents(tx, projectId, pseudonym)).map((row) => toAccepted(row, pseudonym)));

  return {
    async loadSubjects(projectId: string, pseudonyms: readonly string[]) {
      const found = new Map<string, SubjectRecord>();
      if (pseudonyms.length === 0) return found;
      const rows = await sql<SubjectRow[]>`SELECT * FROM subjects WHERE project_id = ${projectId} AND pseudonym = ANY(${[...pseudonyms]}::text[])`;
      for (const row of rows) found.set(row.pseudonym, toSubjectRecord(row));
      return found;
    },

    async findSubjectByToken(tokenHash: string) {
      const [row] = await sql<SubjectRow[]>`SELECT * FROM subjects WHERE token_hash = ${tokenHash}`;
      return row ? toSubjectRecord(row) : undefined;
    },

    async recordConsent(write: ConsentWrite): Promise<ConsentWriteResult> {
      return connection.writeTransaction(async (tx) => {
        // Creates the row if absent, then locks it: two processes deciding for a new subject at
        // once agree on which one created it (and so which token is stored).
        const created = await tx`
          INSERT INTO subjects (project_id, pseudonym, key_id, created_at, token_hash)
          VALUES (${write.projectId}, ${write.pseudonym}, ${write.keyId}, ${write.at}, ${write.newTokenHash})
          ON CONFLICT DO NOTHING`;
        const existing = await lockSubject(tx, write.projectId, write.pseudonym);
        if (existing?.erased) return { created: false, erased: true };
        await tx`
          UPDATE subjects SET consent_version = ${write.policyVersion}, consent_granted = ${JSON.stringify(write.granted)},
            consent_withdrawn = false, consent_at = ${write.at}, objected = ${JSON.stringify(write.objected)}
          WHERE project_id = ${write.projectId} AND pseudonym = ${write.pseudonym}`;
        await connection.appendLedger(tx, write.ledger);
        return { created: created.count === 1, erased: false };
      });
    },

    async changeFlags(change: FlagChange) {
      return connection.writeTransaction(async (tx) => {
        const row = await lockSubject(tx, change.projectId, change.pseudonym);
        if (!row || row.erased) return undefined;
        const before = toSubjectRecord(row);
        const restricted = change.restricted ?? before.state.restricted;
        const objected = change.objected ?? before.state.objected;
        const withdrawn = change.withdrawn ?? before.state.consent?.withdrawn ?? false;
        if (restricted !== before.state.restricted) {
          // Art. 18: held data stays stored but counts in no statistic while restricted.
          await applyPlan(tx, change.projectId, await heldPlan(tx, change.projectId, change.pseudonym), restricted ? -1 : 1);
          await bumpStatsEpoch(tx, change.projectId);
        }
        const [updated] = await tx<SubjectRow[]>`
          UPDATE subjects SET restricted = ${restricted}, objected = ${JSON.stringify(objected)}, consent_withdrawn = ${withdrawn}
          WHERE project_id = ${change.projectId} AND pseudonym = ${change.pseudonym} RETURNING *`;
        await connection.appendLedger(tx, change.ledger);
        return toSubjectRecord(updated!);
      });
    },

    async rectify(projectId: string, pseudonym: string, patch: { tz?: string; device?: string }) {
      await connection.writeTransaction((tx) => tx`
        UPDATE subjects SET tz = coalesce(${patch.tz ?? null}::text, tz), device = coalesce(${patch.device ?? null}::text, device)
        WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`);
    },

    async erase(projectId: string, pseudonym: string, ledger: LedgerAppend) {
      return connection.writeTransaction(async (tx) => {
        const row = await lockSubject(tx, projectId, pseudonym);
        if (!row) return { events: 0, sessions: 0 };
        // A restricted subject's events are already out of the aggregates.
        if (!row.restricted && !row.erased) await applyPlan(tx, projectId, await heldPlan(tx, projectId, pseudonym), -1);
        const events = (await tx`DELETE FROM events WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`).count;
        const sessions = (await tx`DELETE FROM sessions WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`).count;
        await tx`DELETE FROM activity WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`;
        await bumpStatsEpoch(tx, projectId);
        await tx`UPDATE rights_requests SET pseudonym = '' WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`;
        await tx`
          UPDATE subjects SET erased = true, token_hash = NULL, tz = NULL, device = NULL, restricted = false, last_seen_at = NULL
          WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`;
        await connection.appendLedger(tx, ledger);
        return { events, sessions };
      });
    },

    async subjectData(projectId: string, pseudonym: string): Promise<SubjectData | undefined> {
      // One snapshot, so the parts of the answer agree with each other.
      return sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [row] = await tx<SubjectRow[]>`SELECT * FROM subjects WHERE project_id = ${projectId} AND pseudonym = ${pseudonym}`;
        if (!row) return undefined;
        const ledger = await tx<Omit<LedgerEntry, 'detail'>[]>`
          SELECT seq, project_id AS "projectId", pseudonym, action, policy_version AS "policyVersion", detail AS "detailJson", at,
            prev_hash AS "prevHash", hash
          FROM consent_ledger WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} ORDER BY seq`;
        return {
          subject: toSubjectRecord(row),
          ledger: ledger.map((entry) => ({ ...entry, detail: JSON.parse(entry.detailJson) as Record<string, unknown> })),
          events: [...(await heldEvents(tx as Tx, projectId, pseudonym))],
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
        };
      }) as Promise<SubjectData | undefined>;
    },

    async logRightsRequest(row: RightsRequestRow) {
      await connection.writeTransaction((tx) => tx`
        INSERT INTO rights_requests (id, project_id, pseudonym, kind, via, received_at, due_at, completed_at, outcome)
        VALUES (${row.id}, ${row.projectId}, ${row.pseudonym}, ${row.kind}, ${row.via}, ${row.receivedAt}, ${row.dueAt}, ${row.completedAt}, ${row.outcome})`);
    },

    async listRightsRequests(projectId: string) {
      return [...(await sql<RightsRequestRow[]>`
        SELECT ${sql.unsafe(REQUEST_COLUMNS)} FROM rights_requests WHERE project_id = ${projectId}
        ORDER BY (completed_at IS NOT NULL), due_at`)];
    },

    async completeRightsRequest(projectId: string, id: string, completedAt: number, outcome: string) {
      const result = await connection.writeTransaction((tx) => tx`
        UPDATE rights_requests SET completed_at = ${completedAt}, outcome = ${outcome}
        WHERE project_id = ${projectId} AND id = ${id} AND completed_at IS NULL`);
      return result.count > 0;
    },
  };
}
