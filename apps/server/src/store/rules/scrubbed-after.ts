/**
 * A store's `erase`, then its `scrubDeleted` for the project: an erasure answers only once no
 * copy of what it deleted is left in the store's own files (the statistics snapshot, SQLite's
 * WAL). Both stores wrap their `erase` with it.
 */
import type { Store } from '../store.js';

/** @example erase: scrubbedAfter(subjects.erase, scrubDeleted) */
export function scrubbedAfter(erase: Store['erase'], scrub: Store['scrubDeleted']): Store['erase'] {
  return async (projectId, pseudonym, ledger) => {
    const erased = await erase(projectId, pseudonym, ledger);
    await scrub(projectId);
    return erased;
  };
}
