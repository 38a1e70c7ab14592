/**
 * The rules' port on PostgreSQL (`../rules/subject-port.ts`): one statement per operation on
 * the rule's transaction. Rows a rule decides on are locked (`FOR UPDATE`): the subject row
 * first (the first lock an ingest takes too, so a restriction or erasure and a concurrent
 * batch from another process are strictly ordered), the ledger head second (so a project's
 * chain never forks across processes).
 */
import type { AsyncPort } from '../rules/script.js';
import type { SubjectPort } from '../rules/subject-port.js';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { GENESIS_HASH, type EventRow, type LedgerCheckpoint, type SubjectKey } from '../store.js';
import type { SubjectRow } from '../subject-row.js';
import { applyPlan } from './aggregate-writer.js';
import { bumpStatsEpoch } from './bump-stats-epoch.js';
import type { Tx } from './connection.js';

/** The columns of a subject's held events, as the access answer and the rules read them. */
export const heldEvents = (sql: Tx, { projectId, pseudonym }: SubjectKey) => sql<EventRow[]>`
  SELECT id, type, ts, received_at AS "receivedAt", session_id AS "sessionId", name, duration_ms AS "durationMs",
    active_ms AS "activeMs", props, purposes
  FROM events WHERE project_id = ${projectId} AND pseudonym = ${pseudonym} ORDER BY ts, id COLLATE "C"`;

/**
 * @example await runAsync(eraseSubject(entry, seal), createPostgresSubjectPort(tx))
 */
export function createPostgresSubjectPort(tx: Tx): AsyncPort<SubjectPort> {
  const where = ({ projectId, pseudonym }: SubjectKey) => tx`project_id = ${projectId} AND pseudonym = ${pseudonym}`;
  return {
    async lockSubject(key) {
      return (await tx<SubjectRow[]>`SELECT * FROM subjects WHERE ${where(key)} FOR UPDATE`)[0];
    },
    async insertSubject(key, keyId, at) {
      // Two processes deciding for a new subject at once agree on which one created it.
      const result = await tx`
        INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (${key.projectId}, ${key.pseudonym}, ${keyId}, ${at})
        ON CONFLICT DO NOTHING`;
      return result.count === 1;
    },
    async updateConsent(key, consent) {
      await tx`
        UPDATE subjects SET consent_version = ${consent.version}, consent_granted = ${consent.granted}, consent_withdrawn = false,
          consent_at = ${consent.at}, objected = ${consent.objected}
        WHERE ${where(key)}`;
    },
    async setFlags(key, flags) {
      const [row] = await tx<SubjectRow[]>`
        UPDATE subjects SET restricted = ${flags.restricted}, objected = ${flags.objected}, consent_withdrawn = ${flags.withdrawn}
        WHERE ${where(key)} RETURNING *`;
      return row!;
    },
    heldEvents: async (key) => [...(await heldEvents(tx, key))],
    async applyPlan(projectId, plan, sign) {
      await applyPlan(tx, projectId, plan, sign);
    },
    bumpStatsEpoch: (projectId, removal, ledgerSeq) => bumpStatsEpoch(tx, projectId, removal, ledgerSeq),
    deleteEvents: async (key) => (await tx`DELETE FROM events WHERE ${where(key)}`).count,
    deleteSessions: async (key) => (await tx<{ key: number }[]>`DELETE FROM sessions WHERE ${where(key)} RETURNING row_key AS key`).map((row) => Number(row.key)),
    deleteActivity: async (key) => (await tx`DELETE FROM activity WHERE ${where(key)}`).count,
    async unlinkRequests(key) {
      await tx`UPDATE rights_requests SET pseudonym = '' WHERE ${where(key)}`;
    },
    async markErased(key) {
      await tx`UPDATE subjects SET erased = true, tz = NULL, device = NULL, restricted = false, last_seen_at = NULL WHERE ${where(key)}`;
    },
    async insertToken(key, token, at) {
      await tx`
        INSERT INTO subject_tokens (id, project_id, pseudonym, hash, created_at, channel)
        VALUES (${token.id}, ${key.projectId}, ${key.pseudonym}, ${token.hash}, ${at}, ${token.channel})`;
    },
    async addCounter(projectId, day, reason, count) {
      // Into this connection's writer slot, as ingest counts (writer-slots/): the key has the slot.
      await tx`
        INSERT INTO suppressions (project_id, slot, day, reason, count) VALUES (${projectId}, heed_writer_slot(), ${day}, ${reason}, ${count})
        ON CONFLICT (project_id, day, reason, slot) DO UPDATE SET count = suppressions.count + excluded.count`;
    },
    async deleteTokens(key, keep) {
      const result = await tx`
        DELETE FROM subject_tokens WHERE ${where(key)} AND id != ${keep.keepId ?? ''}
          AND id NOT IN (SELECT id FROM subject_tokens WHERE ${where(key)} ORDER BY created_at DESC, id DESC LIMIT ${keep.keepNewest ?? 0})`;
      return result.count;
    },
    async lockLedgerHead(projectId) {
      // A project's first append creates its head row (at the genesis), so there is a row to lock.
      await tx`INSERT INTO ledger_heads (project_id, seq, hash) VALUES (${projectId}, 0, ${GENESIS_HASH}) ON CONFLICT DO NOTHING`;
      const [head] = await tx<{ seq: number; hash: string }[]>`SELECT seq, hash FROM ledger_heads WHERE project_id = ${projectId} FOR UPDATE`;
      return head && head.seq > 0 ? head : undefined;
    },
    async insertLedgerEntry(row) {
      const [inserted] = await tx<{ seq: number }[]>`
        INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, policy_hash, detail, at, channel, auth, key_id, prev_hash, hash)
        VALUES (${row.projectId}, ${row.pseudonym}, ${row.action}, ${row.policyVersion}, ${row.policyHash}, ${row.detailJson}, ${row.at},
          ${row.channel}, ${row.auth}, ${row.keyId}, ${row.prevHash}, ${row.hash})
        RETURNING seq`;
      return inserted!.seq;
    },
    async setLedgerHead(head) {
      await tx`UPDATE ledger_heads SET seq = ${head.seq}, hash = ${head.hash} WHERE project_id = ${head.projectId}`;
    },
    async hasUnkeyedEntries(projectId) {
      const [row] = await tx<{ unkeyed: boolean }[]>`SELECT EXISTS (SELECT 1 FROM consent_ledger WHERE project_id = ${projectId} AND key_id IS NULL) AS unkeyed`;
      return row!.unkeyed;
    },
    async ledgerPage(projectId, afterSeq, limit) {
      const rows = await tx<LedgerRowText[]>`
        SELECT ${tx.unsafe(LEDGER_COLUMNS)} FROM consent_ledger WHERE project_id = ${projectId} AND seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
      return rows.map(parseLedgerRow);
    },
    async setHold(key, hold) {
      await tx`UPDATE subjects SET hold_ground = ${hold?.ground ?? null}, hold_reason = ${hold?.reason ?? null}, hold_until = ${hold?.until ?? null} WHERE ${where(key)}`;
    },
    async ledgerCheckpoint(projectId) {
      const [row] = await tx<LedgerCheckpoint[]>`
        SELECT project_id AS "projectId", seq, hash, pruned, at, key_id AS "keyId", seal FROM ledger_checkpoints WHERE project_id = ${projectId}`;
      return row;
    },
    async setLedgerCheckpoint(c) {
      await tx`
        INSERT INTO ledger_checkpoints (project_id, seq, hash, pruned, at, key_id, seal) VALUES (${c.projectId}, ${c.seq}, ${c.hash}, ${c.pruned}, ${c.at}, ${c.keyId}, ${c.seal})
        ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned = excluded.pruned, at = excluded.at, key_id = excluded.key_id, seal = excluded.seal`;
    },
    deleteLedgerThrough: async (projectId, seq) => (await tx`DELETE FROM consent_ledger WHERE project_id = ${projectId} AND seq <= ${seq}`).count,
    async latestDecisionSeq(key) {
      const [row] = await tx<{ seq: number | null }[]>`SELECT max(seq) AS seq FROM consent_ledger WHERE ${where(key)} AND action = 'decision'`;
      return row?.seq ?? undefined;
    },
    async resealEntry(seq, seal) {
      await tx`
        UPDATE consent_ledger SET channel = ${seal.channel}, auth = ${seal.auth}, policy_hash = ${seal.policyHash}, key_id = ${seal.keyId},
          prev_hash = ${seal.prevHash}, hash = ${seal.hash}
        WHERE seq = ${seq}`;
    },
  };
}
