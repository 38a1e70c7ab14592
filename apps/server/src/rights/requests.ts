/**
 * The rights-request log: every request of every kind, with the one-month due date of
 * Art. 12(3). Requests answered at once are logged as completed (or refused, on a ground), so
 * the log is the controller's proof of timely answers; those that arrive by mail are logged by
 * staff and move along their life in `request-lifecycle.ts`.
 */
import { nanoid } from 'nanoid';
import type { Services } from '../services.js';
import type { Actor, RefusalGround, RightsRequestRow } from '../store/store.js';

export type RightKind = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection' | 'withdrawal' | 'portability';

/**
 * One calendar month after `receivedAt` (Art. 12(3)), in UTC; a day the next month does not
 * have falls back to its last day (31 January -> 28 February), never into the month after.
 *
 * @example dueDate(Date.UTC(2026, 0, 31)) // Date.UTC(2026, 1, 28)
 */
export function dueDate(receivedAt: number): number {
  return addMonths(receivedAt, 1);
}

/**
 * `months` calendar months after `at`, in UTC, a missing day falling back to the month's last.
 *
 * @example addMonths(Date.UTC(2026, 0, 31), 3) // Date.UTC(2026, 3, 30)
 */
export function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/** Fields of a new row in the log, before its life goes on. */
const fresh = { extensionReason: null, noticeAt: null, refusalGround: null } as const;

/** A subject and who acts on it (the ledger records the actor; the request log, staff or subject). */
export interface SubjectRef {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly actor: Actor;
}

/** How the request log names who asked: staff (admin key, CLI) or the subject. */
const viaOf = (actor: Actor): RightsRequestRow['via'] => (actor.channel === 'staff' ? 'admin' : 'subject');

/**
 * A request received by mail and not answered yet: it shows as open, and as overdue once its
 * due date has passed. `pseudonym` is empty when nothing is held about the requester.
 */
export async function logOpenRequest(
  services: Services,
  input: { projectId: string; pseudonym: string; kind: RightKind; receivedAt: number },
): Promise<RightsRequestRow> {
  const row: RightsRequestRow = {
    id: `rq_${nanoid(16)}`,
    projectId: input.projectId,
    pseudonym: input.pseudonym,
    kind: input.kind,
    via: 'admin',
    receivedAt: input.receivedAt,
    dueAt: dueDate(input.receivedAt),
    originalDueAt: dueDate(input.receivedAt),
    completedAt: null,
    outcome: null,
    state: 'received',
    ...fresh,
  };
  await services.store.logRightsRequest(row);
  return row;
}

/** Whether a request still waits for its answer. */
export const isOpen = (row: Pick<RightsRequestRow, 'state'>): boolean => row.state === 'received' || row.state === 'extended';

/**
 * The log as staff read it: overdue first, then open, then closed (completed or refused); each
 * group by due date.
 *
 * @example orderRequests(rows, Date.now())[0].overdue // true when anything is overdue
 */
export function orderRequests(rows: readonly RightsRequestRow[], now: number): (RightsRequestRow & { overdue: boolean })[] {
  const rank = (row: RightsRequestRow & { overdue: boolean }) => (row.overdue ? 0 : isOpen(row) ? 1 : 2);
  return rows
    .map((row) => ({ ...row, overdue: isOpen(row) && row.dueAt < now }))
    .sort((a, b) => rank(a) - rank(b) || a.dueAt - b.dueAt);
}

export const RIGHT_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection', 'withdrawal', 'portability'] as const satisfies readonly RightKind[];

/** A request answered at once: logged as completed, or refused on `refusal`'s ground. */
export async function logCompletedRequest(
  services: Services,
  ref: SubjectRef,
  kind: RightKind,
  outcome: string,
  refusal?: RefusalGround,
): Promise<RightsRequestRow> {
  const now = services.clock.now();
  const row: RightsRequestRow = {
    id: `rq_${nanoid(16)}`,
    projectId: ref.projectId,
    pseudonym: ref.pseudonym,
    kind,
    via: viaOf(ref.actor),
    receivedAt: now,
    dueAt: dueDate(now),
    originalDueAt: dueDate(now),
    completedAt: now,
    outcome,
    ...fresh,
    state: refusal === undefined ? 'completed' : 'refused',
    refusalGround: refusal ?? null,
  };
  await services.store.logRightsRequest(row);
  return row;
}

/** A request refused at once on a ground (a legal hold refusing an erasure), with the reason. */
export const logRefusedRequest = (services: Services, ref: SubjectRef, kind: RightKind, ground: RefusalGround, reason: string) =>
  logCompletedRequest(services, ref, kind, reason, ground);
