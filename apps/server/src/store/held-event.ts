/**
 * A stored event read back as the aggregate plan needs it: restriction and erasure replay a
 * subject's held events through `planAggregates` to take out exactly what they added. Both
 * stores read the same columns.
 */
import type { AcceptedEvent, EventRow } from './store.js';

export function toAccepted(row: EventRow, pseudonym: string): AcceptedEvent {
  return {
    id: row.id,
    type: row.type as AcceptedEvent['type'],
    ts: row.ts,
    sessionId: row.sessionId,
    pseudonym,
    name: row.name,
    durationMs: row.durationMs,
    activeMs: row.activeMs,
    propsJson: row.props,
    purposes: row.purposes.split(',').filter(Boolean),
  };
}
