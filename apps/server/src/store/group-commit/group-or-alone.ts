/**
 * What a group that failed comes to, written once for both stores: the whole group rolled
 * back, so nothing of it is stored. A busy store refuses every batch alike (503 with
 * Retry-After; the SDK sends the same event ids again); otherwise one batch may be at fault,
 * so each is written again in a transaction of its own and only a failing batch fails.
 * (No savepoint per batch on the common path: on SQLite a savepoint copies every page it
 * touches into a statement journal, which cost more than the inserts; on PostgreSQL it is a
 * subtransaction per batch.)
 */
import { StoreBusyError } from '../store.js';
import type { GroupOutcome } from './queue.js';
import { operations, type Script } from '../rules/script.js';

/** One attempt at writing items in one transaction: every result, or why it rolled back. */
export type Attempt<R> = { readonly ok: true; readonly results: readonly R[] } | { readonly ok: false; readonly error: unknown };

/** What a driver gives the rule: a transaction over some of the group's items. */
export interface GroupPort<T, R> {
  attempt(items: readonly T[]): Attempt<R>;
}

/**
 * @example runAsync(groupOrAlone(writes), { attempt: (items) => tryTogether(items) })
 */
export function* groupOrAlone<T, R>(items: readonly T[]): Script<GroupPort<T, R>, GroupOutcome<R>[]> {
  const db = operations<GroupPort<T, R>>();
  const together = yield* db.attempt(items);
  if (together.ok) return together.results.map((result) => ({ ok: true, result }));
  if (items.length === 1 || together.error instanceof StoreBusyError) return items.map(() => ({ ok: false, error: together.error }));
  const outcomes: GroupOutcome<R>[] = [];
  for (const item of items) {
    const alone = yield* db.attempt([item]);
    outcomes.push(alone.ok ? { ok: true, result: alone.results[0]! } : { ok: false, error: alone.error });
  }
  return outcomes;
}
