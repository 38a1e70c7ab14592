/**
 * The removals this process's writers committed, by the stats epoch each one raised the
 * project to. A removal (erasure, a right that changes what counts, retention) raises
 * `projects.stats_epoch`, and a cache under an older epoch was dropped whole: at 100,000
 * subjects that made the next request read 14 million marks and 2.4 million sessions again
 * (7-17 s) after every erasure. Where the removals between a cache's epoch and the database's
 * are all here, the cache applies them instead (`MarkCache.advance`, `SessionCache.advance`).
 *
 * Only committed removals count: a writer stages one inside its transaction and the
 * connection commits or discards the staged ones with it. An epoch raised by anyone else
 * (another process or connection on the database) leaves a gap, and a gap means "drop the
 * cache", as before. Nothing here is stored: the pseudonyms stay in memory, as in the caches.
 */
import type { StatsRemoval } from '../stats-store.js';

/** Removals kept per project: a cache further behind than this fills again from nothing. */
export const REMOVALS_KEPT = 1_024;

export class StatsRemovals {
  private readonly byProject = new Map<string, Map<number, StatsRemoval>>();
  private staged: { projectId: string; epoch: number; removal: StatsRemoval }[] = [];

  constructor(private readonly kept = REMOVALS_KEPT) {}

  /** A removal that raised the project's epoch to `epoch`, in the transaction now open. */
  stage(projectId: string, epoch: number, removal: StatsRemoval): void {
    this.staged.push({ projectId, epoch, removal });
  }

  /** How many are staged: a nested transaction that fails discards back to this mark. */
  get mark(): number {
    return this.staged.length;
  }

  /** Drops what was staged after `mark` (the transaction, or its savepoint, rolled back). */
  discard(mark = 0): void {
    this.staged.length = mark;
  }

  /** The outermost transaction committed: what it staged becomes known. */
  commit(): void {
    for (const { projectId, epoch, removal } of this.staged) {
      let removals = this.byProject.get(projectId);
      if (!removals) this.byProject.set(projectId, (removals = new Map()));
      removals.set(epoch, removal);
      // Epochs only rise, so the first entries are the oldest.
      while (removals.size > this.kept) removals.delete(removals.keys().next().value!);
    }
    this.staged = [];
  }

  /**
   * Forgets the project's removals up to and including `epoch`: every cache of the project
   * holds that epoch or a later one, and a cache made from now on starts at the database's.
   * Retention's entries carry the keys of every session they deleted; kept after use, 1,024
   * of them held over a million keys at 100,000 subjects.
   */
  forgetThrough(projectId: string, epoch: number): void {
    const removals = this.byProject.get(projectId);
    if (!removals) return;
    for (const held of removals.keys()) if (held <= epoch) removals.delete(held);
    if (removals.size === 0) this.byProject.delete(projectId);
  }

  /**
   * The removals that raised the project from `after` to `upTo`, in order, or undefined when
   * one of them is not known here (made elsewhere, or forgotten).
   *
   * @example removals.between('p_1', 3, 5) // [{ subject: '…' }, { marksThrough: 1764547200000 }]
   */
  between(projectId: string, after: number, upTo: number): StatsRemoval[] | undefined {
    if (upTo < after) return undefined;
    const removals = this.byProject.get(projectId);
    const steps: StatsRemoval[] = [];
    for (let epoch = after + 1; epoch <= upTo; epoch++) {
      const removal = removals?.get(epoch);
      if (!removal) return undefined;
      steps.push(removal);
    }
    return steps;
  }
}
