/**
 * The group-commit queue both stores write through: the batches that arrive within one turn
 * of the event loop go to one write together, and each caller is answered only after that
 * write (its commit) is done. A commit costs about as much as the inserts of a small batch
 * (SQLite's fsync, PostgreSQL's WAL flush and round trips), so sharing it is most of the
 * ingest rate under load.
 *
 * SQLite writes a group synchronously, one at a time. PostgreSQL writes a group on one pooled
 * connection and may have several in flight (`inFlight`); while they are all busy, arrivals
 * wait and go together in the next group, so the groups grow with the load.
 */

/** What one item of a group came to: its result, or the error that refused it alone. */
export type GroupOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

/** Bounds one group's transaction, and so the latency an item can add to its neighbours. */
const MAX_GROUP = 64;

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Groups written at the same time (an asynchronous writer only); 1 by default. */
  readonly inFlight?: number;
}

/**
 * @example const queue = createGroupCommit((writes) => writeGroup(writer, writes)); await queue.submit(write)
 */
export function createGroupCommit<T, R>(
  writeGroup: (items: readonly T[]) => GroupOutcome<R>[] | Promise<GroupOutcome<R>[]>,
  options: GroupCommitOptions = {},
) {
  const limit = Math.max(1, options.inFlight ?? 1);
  let pending: Pending<T, R>[] = [];
  let running = 0;
  let scheduled = false;

  const settle = (group: readonly Pending<T, R>[], outcomes: readonly GroupOutcome<R>[]) =>
    group.forEach((entry, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) entry.resolve(outcome.result);
      else entry.reject(outcome.error);
    });

  function schedule(): void {
    if (scheduled || pending.length === 0 || running >= limit) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    if (running >= limit || pending.length === 0) return;
    const group = pending.slice(0, MAX_GROUP);
    pending = pending.slice(group.length);
    let outcomes: GroupOutcome<R>[] | Promise<GroupOutcome<R>[]>;
    try {
      outcomes = writeGroup(group.map((entry) => entry.item));
    } catch (error) {
      outcomes = group.map(() => ({ ok: false, error }));
    }
    if (Array.isArray(outcomes)) {
      settle(group, outcomes);
      schedule();
      return;
    }
    running++;
    schedule();
    outcomes.then(
      (done) => settle(group, done),
      (error: unknown) => settle(group, group.map(() => ({ ok: false, error }))),
    ).finally(() => {
      running--;
      schedule();
    });
  }

  function submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      pending.push({ item, resolve, reject });
      schedule();
    });
  }

  return { submit };
}
