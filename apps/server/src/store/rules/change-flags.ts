/**
 * Restriction, objection and withdrawal, written once for both stores: the flags that the
 * change leaves out stay as they are; restriction and objection move the subject's held
 * events out of (or back into) the aggregates they no longer (or again) count in
 * (`recount-subject.ts`: Art. 18 kept, not used; Art. 21 no longer processed for the purpose);
 * withdrawal stops new collection only (Art. 7(3)); the ledger proves the change. Nothing
 * happens to an unknown or erased subject.
 */
import type { FlagChange, LedgerSeal, SubjectRecord } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { recountSubject } from './recount-subject.js';
import { db, type SubjectPort } from './subject-port.js';

/**
 * @example runSync(changeFlags({ projectId, pseudonym, restricted: true, ledger }, seal), port)?.state.restricted // true
 */
export function* changeFlags(change: FlagChange, seal: LedgerSeal): Script<SubjectPort, SubjectRecord | undefined> {
  const key = { projectId: change.projectId, pseudonym: change.pseudonym };
  const row = yield* db.lockSubject(key);
  if (!row) return undefined;
  const before = toSubjectRecord(row);
  if (before.state.erased) return undefined;
  const restricted = change.restricted ?? before.state.restricted;
  const objected = change.objected ?? before.state.objected;
  const withdrawn = change.withdrawn ?? before.state.consent?.withdrawn ?? false;
  const moved = yield* recountSubject(key, before.state, { restricted, objected });
  const updated = yield* db.setFlags(key, { restricted, objected: JSON.stringify(objected), withdrawn });
  const proof = yield* appendLedger(change.ledger, seal);
  if (moved) yield* db.bumpStatsEpoch(key.projectId, moved, proof.seq);
  return toSubjectRecord(updated);
}
