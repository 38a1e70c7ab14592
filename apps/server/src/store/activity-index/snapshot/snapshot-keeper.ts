/**
 * When a project's caches are restored from and written to their snapshot
 * (`project-snapshot.ts`): restored before the project's first refresh, written shortly after
 * a large fill and on close.
 */
import type { StatsReads } from '../../stats-store.js';
import type { MarkCache } from '../mark-cache.js';
import type { SessionCache } from '../session-cache.js';
import type { SubjectDictionary } from '../subject-dictionary.js';
import { decodeSnapshot, encodeSnapshot, type CacheSnapshots } from './project-snapshot.js';

/**
 * Caches that outlive the process (`snapshot/`): the first request after a start then reads
 * what changed since the snapshot, not every mark and session of the project's weeks.
 */
export interface SnapshotOptions {
  readonly store: CacheSnapshots;
  /** The session feed's highest change now: a snapshot ahead of it belongs to another copy of the database. */
  feedHead(projectId: string): Promise<number>;
  /**
   * Marks and sessions read into a project's caches since its last snapshot that make it
   * worth writing another one soon (a cold fill); smaller refreshes wait for `close`.
   */
  readonly afterRows?: number;
  /**
   * How long the project's statistics must have been quiet (no request) before such a fill's
   * snapshot is written: a dashboard's panels ask together, and a write of tens of MB among
   * their requests competes with them (on PostgreSQL a first process's p95 went past 50 ms).
   */
  readonly delayMs?: number;
  readonly onWarning: (message: string) => void;
}

/**
 * Restores a project's caches from its snapshot before its first refresh, and writes the
 * snapshot again after a large fill (once requests have been quiet for a while), on close
 * and after an erasure or a retention run. A snapshot that cannot be read or written costs a warning and a
 * slower first request, never an answer. A project that had no snapshot to restore and then
 * reads `afterRows` rows says so once, naming `heed stats warm` (`cli/stats-warm.ts`).
 *
 * What a removal took out never outlives it in a snapshot: every write first brings the
 * caches to the database's stats epoch (`current`: the logged removals applied, or the
 * caches dropped), and an erasure or a retention run rewrites the snapshot at once (`removed`).
 */
export function createSnapshotKeeper(
  options: SnapshotOptions | undefined,
  dictionaries: Map<string, SubjectDictionary>,
  marks: Map<string, MarkCache>,
  sessions: Map<string, SessionCache>,
  reads: StatsReads,
  current: (projectId: string) => Promise<void>,
) {
  const restored = new Set<string>();
  /**
   * Projects that found no snapshot to restore, with the rows their first refresh has read so
   * far: a first refresh that reads `afterRows` is a cold fill (after an upgrade), reported
   * once. Later refreshes never are: a new deployment's statistics keeper reads its rows a
   * minute at a time, and reaching `afterRows` that way is no fill to warn about.
   */
  const unsnapshotted = new Map<string, number>();
  /** Rows read per project since its last snapshot. */
  const unsaved = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  /** Whether the snapshot was written. */
  async function write(projectId: string): Promise<boolean> {
    if (!options) return false;
    try {
      // Restores a snapshot not read yet (as a first request would), then applies the logged removals.
      await current(projectId);
      if (!dictionaries.has(projectId)) return false;
      // No await between here and the chunks being read: nothing can change the caches in between.
      const dictionary = dictionaries.get(projectId)!;
      const stored = options.store.write(projectId, encodeSnapshot(projectId, dictionary, marks.get(projectId), sessions.get(projectId)));
      unsaved.delete(projectId);
      await stored;
      return true;
    } catch (error) {
      options.onWarning(`statistics cache snapshot of ${projectId} not written: ${(error as Error).message}`);
      return false;
    }
  }

  function arm(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void writeDue(), options?.delayMs ?? 5_000);
    timer.unref();
  }

  async function writeDue(): Promise<void> {
    timer = undefined;
    for (const [projectId, rows] of [...unsaved]) if (rows >= (options?.afterRows ?? 100_000)) await write(projectId);
  }

  return {
    async restore(projectId: string): Promise<void> {
      if (!options || restored.has(projectId)) return;
      restored.add(projectId);
      try {
        const epoch = await reads.statsEpoch(projectId);
        // An older epoch is restored too: the first refresh applies the logged removals since,
        // or drops the cache when the log no longer reaches back to it (`indexed-stats.ts`).
        const facts = { projectId, usableEpoch: (cached: number) => cached <= epoch, feedHead: await options.feedHead(projectId) };
        const caches = await options.store.read(projectId, (source) => decodeSnapshot(source, facts));
        // Restored before the project's first refresh, so no cache of the project exists yet.
        if (caches?.dictionary && !dictionaries.has(projectId) && !marks.has(projectId) && !sessions.has(projectId)) {
          dictionaries.set(projectId, caches.dictionary);
          if (caches.marks) marks.set(projectId, caches.marks);
          if (caches.sessions) sessions.set(projectId, caches.sessions);
        } else unsnapshotted.set(projectId, 0);
      } catch (error) {
        unsnapshotted.set(projectId, 0);
        options.onWarning(`statistics cache snapshot of ${projectId} not used: ${(error as Error).message}`);
      }
    },

    changed(projectId: string, rows: number): void {
      if (!options || rows === 0) return;
      const afterRows = options.afterRows ?? 100_000;
      const total = (unsaved.get(projectId) ?? 0) + rows;
      unsaved.set(projectId, total);
      if (total >= afterRows) arm();
      const first = unsnapshotted.get(projectId);
      if (first === undefined) return;
      if (first + rows < afterRows) {
        unsnapshotted.set(projectId, first + rows);
        return;
      }
      // Said once, where an operator looks after an upgrade: the slow first
      // requests they just saw have a remedy that runs ahead of them.
      unsnapshotted.delete(projectId);
      options.onWarning(`statistics caches of ${projectId} are filling from the database with no snapshot to start from (${first + rows} rows so far); \`heed stats warm\` before a start fills them ahead of the first request after an upgrade (docs/operations.md)`);
    },

    /** A refresh of the project ended: rows read after its first no longer count as a cold fill. */
    settled(projectId: string): void {
      unsnapshotted.delete(projectId);
    },

    /** A statistics request began: a write that is due waits until they have been quiet for `delayMs`. */
    requested(): void {
      if (timer !== undefined) arm();
    },

    /**
     * After removals this process committed (an erasure, a retention run): the project's
     * snapshot must not keep what they took out. It is rewritten from the caches brought to
     * the removals (read from the snapshot first when this process had not), else deleted.
     */
    async removed(projectId: string): Promise<void> {
      if (!options || (await write(projectId))) return;
      try {
        await options.store.remove(projectId);
      } catch (error) {
        options.onWarning(`statistics cache snapshot of ${projectId} not removed: ${(error as Error).message}`);
      }
    },

    async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (const projectId of [...unsaved.keys()]) await write(projectId);
    },
  };
}
