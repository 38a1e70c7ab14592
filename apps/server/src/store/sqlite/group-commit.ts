/**
 * The group-commit queue of the SQLite store: the batches that arrive within one turn of the
 * event loop go to one write together, and each caller is answered only after that write
 * (its commit) is done. SQLite has one writer at a time, and a commit costs about as much as
 * the inserts of a small batch, so sharing it is most of the ingest rate under load.
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

/**
 * @example const queue = createGroupCommit((writes) => writeGroup(writer, writes)); await queue.submit(write)
 */
export function createGroupCommit<T, R>(writeGroup: (items: readonly T[]) => GroupOutcome<R>[]) {
  let pending: Pending<T, R>[] = [];

  function flush(): void {
    const group = pending.slice(0, MAX_GROUP);
    pending = pending.slice(group.length);
    if (pending.length > 0) setImmediate(flush);
    const outcomes = writeGroup(group.map((entry) => entry.item));
    group.forEach((entry, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) entry.resolve(outcome.result);
      else entry.reject(outcome.error);
    });
  }

  function submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length === 1) setImmediate(flush);
    });
  }

  return { submit };
}
