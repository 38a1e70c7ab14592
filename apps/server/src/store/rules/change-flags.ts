/**
 * Restriction, objection and withdrawal, written once for both stores: the flags that the
 * change leaves out stay as they are; turning restriction on takes the subject's held events
 * out of every aggregate and turning it off puts them back (Art. 18: kept, not used); the
 * ledger proves the change. Nothing happens to an unknown or erased subject.
 */
import { planAggregates } from '../../aggregates/aggregate-plan.js';
import { toAccepted } from '../../aggregates/held-event.js';
import type { FlagChange, LedgerSeal, SubjectRecord } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
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
  if (restricted !== before.state.restricted) {
    const held = yield* db.heldEvents(key);
    yield* db.applyPlan(key.projectId, planAggregates(held.map((event) => toAccepted(event, key.pseudonym))), restricted ? -1 : 1);
    yield* db.bumpStatsEpoch(key.projectId);
  }
  const updated = yield* db.setFlags(key, { restricted, objected: JSON.stringify(objected), withdrawn });
  yield* appendLedger(change.ledger, seal);
  return toSubjectRecord(updated);
}
