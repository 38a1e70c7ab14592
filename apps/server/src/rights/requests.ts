/**
 * The rights-request log: every request of every kind, with the one-month due date of
 * Art. 12(3). Requests answered at once are logged as completed, so the log is the
 * controller's proof of timely answers; those that arrive by mail are logged by staff.
 */
import { nanoid } from 'nanoid';
import type { Services } from '../services.js';
import type { RightsRequestRow } from '../store/store.js';

export type RightKind = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection' | 'withdrawal' | 'portability';

/** One calendar month after `receivedAt` (Art. 12(3)), in UTC. */
export function dueDate(receivedAt: number): number {
  const date = new Date(receivedAt);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.getTime();
}

export interface SubjectRef {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly via: 'subject' | 'admin';
}

export async function logCompletedRequest(services: Services, ref: SubjectRef, kind: RightKind, outcome: string): Promise<RightsRequestRow> {
  const now = services.clock.now();
  const row: RightsRequestRow = {
    id: `rq_${nanoid(16)}`,
    projectId: ref.projectId,
    pseudonym: ref.pseudonym,
    kind,
    via: ref.via,
    receivedAt: now,
    dueAt: dueDate(now),
    completedAt: now,
    outcome,
  };
  await services.store.logRightsRequest(row);
  return row;
}
