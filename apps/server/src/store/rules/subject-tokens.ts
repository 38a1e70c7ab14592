/**
 * Subject tokens, written once for both stores. A subject may hold several (each device the
 * platform's backend vouched for, a privacy link it minted); the oldest go once a subject
 * holds more than `MAX_LIVE_TOKENS`, so tokens cannot pile up without bound.
 */
import type { LedgerAppend, LedgerSeal, NewSubjectToken } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

/** Live tokens per subject; issuing one more retires the oldest. */
export const MAX_LIVE_TOKENS = 20;

/**
 * Stores a token for a subject that exists and is not erased, and records it in the ledger
 * (`ledger` names the subject and who asked).
 *
 * @example runSync(issueToken(token, entry, seal), port) // true
 */
export function* issueToken(token: NewSubjectToken, ledger: LedgerAppend, seal: LedgerSeal): Script<SubjectPort, boolean> {
  const key = { projectId: ledger.projectId, pseudonym: ledger.pseudonym };
  const row = yield* db.lockSubject(key);
  if (!row || toSubjectRecord(row).state.erased) return false;
  yield* db.insertToken(key, token, ledger.at);
  yield* db.deleteTokens(key, { keepNewest: MAX_LIVE_TOKENS });
  yield* appendLedger({ ...ledger, detail: { ...ledger.detail, token: token.id } }, seal);
  return true;
}
