/**
 * Which of a subject's held data counts in each purpose's statistics, and the aggregates
 * shifted when a right changes that (docs/stats.md, "Whose data counts"): a held event counts
 * for the purposes it was collected for, minus every purpose the subject objects to (Art.
 * 21(1): the controller shall no longer process it for that purpose), and for none while the
 * subject is restricted (Art. 18(2): stored, not otherwise processed). Withdrawal and a
 * superseded policy version change nothing here: they stop new collection only (Art. 7(3)).
 *
 * Written once for both stores: the difference between what counted before and after is
 * replayed through the aggregate plan, taken out (-1) or put back (+1), so restriction and
 * objection compose (lifting a restriction does not bring back an objected purpose).
 */
import { planAggregates, type PlannedEvent } from '../../aggregates/aggregate-plan.js';
import { toAccepted } from '../../aggregates/held-event.js';
import type { StatsRemoval } from '../stats-store.js';
import type { SubjectKey } from '../store.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

/** What decides whose held data counts: the subject's rights in force. */
export interface CountingState {
  readonly restricted: boolean;
  readonly objected: readonly string[];
}

/**
 * The purposes a held event collected for `purposes` counts for under `state`.
 *
 * @example countedPurposes(['statistics', 'update_timing'], { restricted: false, objected: ['update_timing'] }) // ['statistics']
 */
export function countedPurposes(purposes: readonly string[], state: CountingState): string[] {
  return state.restricted ? [] : purposes.filter((purpose) => !state.objected.includes(purpose));
}

/**
 * Takes out of the aggregates what counted under `before` and no longer does under `after`,
 * and puts back what counts again. Returns the statistics caches' step when anything moved:
 * the caller logs it with the ledger entry that proves the change (`SubjectPort.bumpStatsEpoch`).
 *
 * @example yield* recountSubject(key, { restricted: false, objected: [] }, { restricted: false, objected: ['update_timing'] }) // { subject, purposes: ['update_timing'] }
 */
export function* recountSubject(key: SubjectKey, before: CountingState, after: CountingState): Script<SubjectPort, StatsRemoval | undefined> {
  const same = before.restricted === after.restricted && before.objected.length === after.objected.length && before.objected.every((p) => after.objected.includes(p));
  if (same) return undefined;
  const held = yield* db.heldEvents(key);
  const out: PlannedEvent[] = [];
  const back: PlannedEvent[] = [];
  const moved = new Set<string>();
  for (const row of held) {
    const event = toAccepted(row, key.pseudonym);
    const was = countedPurposes(event.purposes, before);
    const is = countedPurposes(event.purposes, after);
    const removed = was.filter((purpose) => !is.includes(purpose));
    const added = is.filter((purpose) => !was.includes(purpose));
    if (removed.length > 0) out.push({ ...event, purposes: removed });
    if (added.length > 0) back.push({ ...event, purposes: added });
    for (const purpose of [...removed, ...added]) moved.add(purpose);
  }
  if (out.length === 0 && back.length === 0) return undefined;
  if (out.length > 0) yield* db.applyPlan(key.projectId, planAggregates(out), -1);
  if (back.length > 0) yield* db.applyPlan(key.projectId, planAggregates(back), 1);
  return { subject: key.pseudonym, purposes: [...moved].sort() };
}
