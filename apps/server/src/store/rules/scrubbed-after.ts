/**
 * A store's `erase`, then its `scrubDeleted` for the project: an erasure answers only once no
 * copy of what it deleted is left in the store's own files (the statistics snapshot, SQLite's
 * WAL). Both stores wrap their `erase` with it. Many erasures in a row (a restore applying
 * those made since its backup) run inside `scrubbingOnce`, which scrubs each project once at
 * the end instead of once per erasure (a snapshot of tens of MB rewritten each time at 100,000
 * subjects); whatever waits for them waits for that.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '../store.js';

/** Inside `scrubbingOnce`: the projects whose erasures wait for the end of the batch to be scrubbed. */
const batch = new AsyncLocalStorage<Set<string>>();

/** @example erase: scrubbedAfter(subjects.erase, scrubDeleted) */
export function scrubbedAfter(erase: Store['erase'], scrub: Store['scrubDeleted']): Store['erase'] {
  return async (projectId, pseudonym, ledger) => {
    const erased = await erase(projectId, pseudonym, ledger);
    const pending = batch.getStore();
    if (pending) pending.add(projectId);
    else await scrub(projectId);
    return erased;
  };
}

/**
 * Runs `work`, whose erasures (and only its: another request's erasure meanwhile scrubs at once)
 * leave the scrub of their projects to the end, where each is scrubbed once; also when `work`
 * throws, since the erasures it made before are done.
 *
 * @example await scrubbingOnce(services.store, async () => { for (const ref of refs) await erase(services, ref); })
 */
export async function scrubbingOnce<T>(store: Pick<Store, 'scrubDeleted'>, work: () => Promise<T>): Promise<T> {
  const projects = new Set<string>();
  try {
    return await batch.run(projects, work);
  } finally {
    for (const projectId of projects) await store.scrubDeleted(projectId);
  }
}
