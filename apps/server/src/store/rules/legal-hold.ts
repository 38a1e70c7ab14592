/**
 * A legal hold (Art. 17(3)(b), (e)), written once for both stores: set or lifted on a subject
 * that exists and is not erased, with the ledger entry that records who did it and why.
 */
import type { LedgerAppend, LedgerSeal, LegalHold, SubjectRecord } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

/**
 * @example runSync(setLegalHold({ ground: 'legal_claims', reason: 'case 12', until: null }, entry, seal), port)?.legalHold
 */
export function* setLegalHold(hold: LegalHold | null, ledger: LedgerAppend, seal: LedgerSeal): Script<SubjectPort, SubjectRecord | undefined> {
  const key = { projectId: ledger.projectId, pseudonym: ledger.pseudonym };
  const row = yield* db.lockSubject(key);
  if (!row || toSubjectRecord(row).state.erased) return undefined;
  yield* db.setHold(key, hold);
  yield* appendLedger(ledger, seal);
  const updated = yield* db.lockSubject(key);
  return toSubjectRecord(updated!);
}
