/**
 * Erasure (Art. 17), written once for both stores: take the held events out of the aggregates
 * (a restricted subject's are out already), delete events, sessions, activity marks and
 * tokens, keep the rights requests without the pseudonym (proof they were answered), leave
 * the subject row as the suppression record, and prove it in the ledger (which stays: proof
 * of consent is a legal obligation).
 */
import { planAggregates } from '../../aggregates/aggregate-plan.js';
import { toAccepted } from '../../aggregates/held-event.js';
import type { LedgerAppend, LedgerSeal } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

/**
 * @example runSync(eraseSubject(entry, seal), port) // { events: 3, sessions: 1 }
 */
export function* eraseSubject(entry: LedgerAppend, seal: LedgerSeal): Script<SubjectPort, { events: number; sessions: number }> {
  const key = { projectId: entry.projectId, pseudonym: entry.pseudonym };
  const row = yield* db.lockSubject(key);
  if (!row) return { events: 0, sessions: 0 };
  const { state } = toSubjectRecord(row);
  if (!state.restricted && !state.erased) {
    const held = yield* db.heldEvents(key);
    yield* db.applyPlan(key.projectId, planAggregates(held.map((event) => toAccepted(event, key.pseudonym))), -1);
  }
  const events = yield* db.deleteEvents(key);
  const sessionKeys = yield* db.deleteSessions(key);
  yield* db.deleteActivity(key);
  yield* db.deleteTokens(key, {});
  yield* db.unlinkRequests(key);
  yield* db.markErased(key);
  const proof = yield* appendLedger(entry, seal);
  // Named by its proof: the removal log never holds the erased subject's pseudonym.
  yield* db.bumpStatsEpoch(key.projectId, { subject: key.pseudonym, sessionKeys }, proof.seq);
  return { events, sessions: sessionKeys.length };
}
