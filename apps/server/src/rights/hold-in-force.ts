/**
 * Whether a legal hold still binds: until its end (exclusive), or for good without one. Erasure
 * and the access answer ask this; retention asks the same in SQL (store/rules/tables.ts,
 * `protectedSubjects`), where it has to run inside the delete.
 */
import type { LegalHold } from '../store/store.js';

/** @example holdInForce({ ground: 'contract', reason: 'r', until: 1_000 }, 1_000) // null: it ended */
export function holdInForce(hold: LegalHold | null | undefined, now: number): LegalHold | null {
  if (!hold || (hold.until !== null && hold.until <= now)) return null;
  return hold;
}
