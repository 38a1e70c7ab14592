/**
 * A stored event read back as the aggregate plan needs it: restriction and erasure replay a
 * subject's held events through `planAggregates` to take out exactly what they added. Both
 * stores read the same columns (their `EventRow`), with the purposes stored comma-joined.
 */
import type { EventType } from '@heed/policy';
import type { PlannedEvent } from './aggregate-plan.js';

/** The columns of a held event that the plan reads; the stores' `EventRow` has them all. */
export interface HeldEventRow {
  readonly type: string;
  readonly ts: number;
  readonly sessionId: string;
  readonly name: string | null;
  readonly durationMs: number | null;
  readonly activeMs: number | null;
  readonly purposes: string;
}

/** @example planAggregates(rows.map((row) => toAccepted(row, pseudonym))) // what the rows added */
export function toAccepted(row: HeldEventRow, pseudonym: string): PlannedEvent {
  return {
    type: row.type as EventType,
    ts: row.ts,
    sessionId: row.sessionId,
    pseudonym,
    name: row.name,
    durationMs: row.durationMs,
    activeMs: row.activeMs,
    purposes: row.purposes.split(',').filter(Boolean),
  };
}
