/**
 * A consent decision, written once for both stores: create the subject if it is new, refuse
 * an erased one (its suppression record keeps it erased), record the decision keeping every
 * objection in force (a decision adds objections, never lifts one: Art. 21; a new one takes
 * the purpose's held data out of its statistics), store the
 * verified caller's token (an anonymous device's only with its subject's first decision), and
 * prove it all in the ledger, in one transaction.
 */
import { changeObjections } from '@heed/policy';
import { DAY_MS } from '../../aggregates/time-units.js';
import type { ConsentWrite, ConsentWriteResult, LedgerSeal } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { recountSubject } from './recount-subject.js';
import { db, type SubjectPort } from './subject-port.js';
import { MAX_LIVE_TOKENS } from './subject-tokens.js';

/**
 * @example runSync(recordConsent(write, seal), port) // { created: true, erased: false, objected: [] }
 */
export function* recordConsent(write: ConsentWrite, seal: LedgerSeal): Script<SubjectPort, ConsentWriteResult> {
  const key = { projectId: write.projectId, pseudonym: write.pseudonym };
  const created = yield* db.insertSubject(key, write.keyId, write.at);
  const row = yield* db.lockSubject(key);
  if (!row || toSubjectRecord(row).state.erased) return { created: false, erased: true, objected: [], tokenIssued: false };
  const state = toSubjectRecord(row).state;
  const objected = changeObjections(state.objected, write.objected, true);
  // An objection made with the decision takes the purpose's held data out of its statistics.
  const moved = yield* recountSubject(key, state, { restricted: state.restricted, objected });
  yield* db.updateConsent(key, { version: write.policyVersion, granted: JSON.stringify(write.granted), at: write.at, objected: JSON.stringify(objected) });
  const tokenIssued = write.token !== undefined && (created || !write.token.onlyIfNew);
  if (tokenIssued) {
    const { id, hash, channel } = write.token!;
    yield* db.insertToken(key, { id, hash, channel }, write.at);
    yield* db.deleteTokens(key, { keepNewest: MAX_LIVE_TOKENS });
  }
  if (write.counter !== undefined) yield* db.addCounter(write.projectId, Math.floor(write.at / DAY_MS) * DAY_MS, write.counter, 1);
  const detail = { ...write.ledger.detail, objected, ...(tokenIssued ? { token: write.token!.id } : {}) };
  const proof = yield* appendLedger({ ...write.ledger, detail }, seal);
  if (moved) yield* db.bumpStatsEpoch(write.projectId, moved, proof.seq);
  return { created, erased: false, objected, tokenIssued };
}
