/**
 * `StatsStore` on top of a dialect's `StatsReads`: distinct-subject counts, return intervals
 * and (where the store offers a feed) the session distribution come from in-memory caches,
 * refreshed per request from cheap facts that say what changed: `stats_epoch` for removals
 * (the logged steps applied, whichever process made them; else the caches fill again),
 * the `subjects` counters for marks, the sessions' `changed` order and the ledger's length.
 * A request then reads a few hundred counter rows and whatever changed since the last one
 * (usually the current hour), instead of every row in its weeks.
 */
import type { KeyedRange, MarkCell, MarkGrain, StatsReads, StatsStore } from '../stats-store.js';
import type { MarkChanges } from './mark-changes.js';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { activityView } from './activity-view.js';
import { MarkCache, type StaleCell } from './mark-cache.js';
import { eligibilityKey, SessionCache } from './session-cache.js';
import { SubjectDictionary } from './subject-dictionary.js';
import { ReturnGapsMemo } from './gaps-memo.js';
import { createSnapshotKeeper, type SnapshotOptions } from './snapshot/snapshot-keeper.js';

/**
 * Rows read per statement when a cache fills: a first request reads weeks of marks or every
 * session, and SQLite answers synchronously, so it reads in slices and lets the event loop
 * serve other requests (ingest) in between, each slice some 10-30 ms. A slice of marks ends at
 * `cellsPerRead` cells or `marksPerRead` marks, whichever comes first (a cell's counter says
 * how many it holds): at 100,000 subjects 64 office hours held 450,000 marks, a slice of
 * about 300 ms in which no other request was answered.
 */
export interface ReadSlices {
  readonly cellsPerRead: number;
  readonly marksPerRead: number;
  readonly sessionsPerRead: number;
}
const SLICES: ReadSlices = { cellsPerRead: 64, marksPerRead: 50_000, sessionsPerRead: 10_000 };

/** Where the slice of `cells` that starts at `start` ends: one cell at least, else within both limits. */
export function sliceEnd(cells: readonly StaleCell[], start: number, slices: ReadSlices): number {
  let end = start + 1;
  let marks = cells[start]!.marks;
  while (end < cells.length && end - start < slices.cellsPerRead && marks + cells[end]!.marks <= slices.marksPerRead) {
    marks += cells[end]!.marks;
    end++;
  }
  return end;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Where one connection makes every write (SQLite), the cells its writers changed
 * (`mark-changes.ts`) and a data version that moves when another connection commits: a
 * range checked in full once is then checked again only in the cells written since.
 */
export interface OwnWrites {
  readonly changes: MarkChanges;
  /** Changes whenever another connection committed (SQLite's `PRAGMA data_version`). */
  dataVersion(): Promise<number>;
  /** The `subjects` counters of these cells (0 for a cell without one), in their order. */
  cellCounts(projectId: string, grain: MarkGrain, cells: readonly MarkCell[]): Promise<number[]>;
}

export type { SnapshotOptions };

export interface IndexedStatsOptions {
  readonly slices?: ReadSlices;
  readonly snapshots?: SnapshotOptions;
  readonly ownWrites?: OwnWrites;
}

/** `StatsStore` plus what the owning store calls after removals and on shutdown. */
export interface IndexedStats extends StatsStore {
  /**
   * After removals the owning store committed in a project (an erasure, a retention run): the
   * project's snapshot is rewritten without what they took out, or deleted
   * (`Store.scrubDeleted`).
   */
  removed(projectId: string): Promise<void>;
  /** Writes the snapshots of the projects whose caches changed since their last one. */
  close(): Promise<void>;
}

export function createIndexedStats(reads: StatsReads, options: IndexedStatsOptions = {}): IndexedStats {
  const slices = options.slices ?? SLICES;
  /** Per project, its subjects numbered once for both caches (kept when a cache is dropped). */
  const dictionaries = new Map<string, SubjectDictionary>();
  const marks = new Map<string, MarkCache>();
  const sessions = new Map<string, SessionCache>();
  const gaps = new ReturnGapsMemo();
  /** Per session cache and purpose, the eligibility version it was last brought to (weak: a dropped cache goes). */
  const eligibleVersions = new WeakMap<SessionCache, Map<string, number>>();
  // One refresh per project at a time: concurrent requests share the caches, not race to fill them.
  const busy = new Map<string, Promise<unknown>>();
  const own = options.ownWrites;
  const snapshots = createSnapshotKeeper(options.snapshots, dictionaries, marks, sessions, reads, (projectId) =>
    serially(projectId, async () => {
      const epoch = await reads.statsEpoch(projectId);
      const markCache = await atEpoch(projectId, marks.get(projectId), epoch);
      if (!markCache) marks.delete(projectId);
      const sessionCache = await atEpoch(projectId, sessions.get(projectId), epoch);
      if (!sessionCache) sessions.delete(projectId);
    }));

  function dictionaryOf(projectId: string): SubjectDictionary {
    let dictionary = dictionaries.get(projectId);
    if (!dictionary) dictionaries.set(projectId, (dictionary = new SubjectDictionary()));
    return dictionary;
  }

  async function serially<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    snapshots.requested();
    while (busy.has(projectId)) await busy.get(projectId);
    const running = (async () => {
      await snapshots.restore(projectId);
      return work();
    })();
    busy.set(projectId, running);
    try {
      return await running;
    } finally {
      busy.delete(projectId);
      snapshots.settled(projectId);
    }
  }

  /**
   * The cache if it holds `epoch`, or was brought to it by the logged removals since its own;
   * else undefined (fill a new one).
   */
  async function atEpoch<C extends MarkCache | SessionCache>(projectId: string, cache: C | undefined, epoch: number): Promise<C | undefined> {
    if (cache === undefined || cache.epoch === epoch) return cache;
    const removals = cache.epoch < epoch ? await reads.removals(projectId, cache.epoch, epoch) : undefined;
    if (!removals) return undefined;
    cache.advance(epoch, removals);
    // Written at close like any change: a snapshot under the old epoch would not be used.
    snapshots.changed(projectId, removals.length);
    return cache;
  }
  /**
   * The cells of `purposes` in `[from, to)` whose cached set differs from its counter: with
   * `ownWrites`, only the cells written since a full check of the range (and nothing else
   * committed since); else, or first, every counter of the range.
   */
  async function staleCells(cache: MarkCache, projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number): Promise<StaleCell[]> {
    if (!own) return cache.staleCells(grain, purposes, from, to, await reads.markCounts(projectId, grain, purposes, from, to));
    // The version first: a commit of another connection after it shows at the next request.
    const version = await own.dataVersion();
    cache.changes.note(own.changes.take(projectId));
    const written = cache.changes.takeWithin(grain, purposes, from, to);
    if (cache.changes.covers(version, grain, purposes, from, to)) {
      return written.length === 0 ? [] : cache.staleOf(grain, written, await own.cellCounts(projectId, grain, written));
    }
    const stale = cache.staleCells(grain, purposes, from, to, await reads.markCounts(projectId, grain, purposes, from, to));
    cache.changes.cover(version, grain, purposes, from, to);
    return stale;
  }

  /** The project's mark cache with every cell of `purposes` in `[from, to)` up to date. */
  const refreshedMarks = (projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number) =>
    serially(projectId, async () => {
      const epoch = await reads.statsEpoch(projectId);
      let cache = await atEpoch(projectId, marks.get(projectId), epoch);
      if (!cache) marks.set(projectId, (cache = new MarkCache(epoch, dictionaryOf(projectId))));
      const stale = await staleCells(cache, projectId, grain, purposes, from, to);
      for (let start = 0, end = 0; start < stale.length; start = end) {
        if (start > 0) await nextTurn();
        end = sliceEnd(stale, start, slices);
        const cells = stale.slice(start, end);
        const read = await reads.marks(projectId, grain, cells);
        cache.fill(grain, cells, read);
        snapshots.changed(projectId, read.reduce((marks, cell) => marks + cell.pseudonyms.length, 0));
      }
      return cache;
    });

  const hourActivity: StatsStore['hourActivity'] = async (projectId, purposes, from, to) =>
    activityView(await refreshedMarks(projectId, 'hour', purposes, from, to), purposes, from, to);

  const source = reads.sessions;
  const sessionDurations: StatsStore['sessionDurations'] =
    source.kind === 'query'
      ? source.durations
      : async (projectId: string, from: number, to: number, edges: readonly number[], purpose: string, shownAt: number) => {
          // The purpose's hour marks of the sessions' start hours, checked first (the caches
          // refresh one at a time per project): a session counts when its start hour is marked.
          const hours = await refreshedMarks(projectId, 'hour', [purpose], Math.floor(from / HOUR_MS) * HOUR_MS, to);
          return serially(projectId, async () => {
            const epoch = await reads.statsEpoch(projectId);
            let cache = await atEpoch(projectId, sessions.get(projectId), epoch);
            if (!cache) sessions.set(projectId, (cache = new SessionCache(epoch, dictionaryOf(projectId))));
            // Other edges than the cache's (never, from the routes) empty it, and the feed below fills it again.
            cache.useEdges(edges);
            for (;;) {
              const page = await source.changedAfter(projectId, cache.cursor, slices.sessionsPerRead);
              cache.apply(page.changes, page.next);
              snapshots.changed(projectId, page.changes.length);
              if (!page.more) break;
              await nextTurn();
            }
            const version = await source.eligibilityVersion(projectId);
            const key = eligibilityKey(version, purpose);
            if (!cache.hasEligible(key)) {
              // Only the subjects whose ledger moved since the version held for this purpose, when there is one.
              let versions = eligibleVersions.get(cache);
              if (!versions) eligibleVersions.set(cache, (versions = new Map()));
              const held = versions.get(purpose);
              if (held !== undefined && held < version && cache.hasEligible(eligibilityKey(held, purpose))) {
                cache.updateEligible(key, await source.eligibilityChanges(projectId, purpose, held));
              } else cache.setEligible(key, await source.eligibleSubjects(projectId, purpose));
              versions.set(purpose, version);
            }
            return cache.bins(from, to, edges, { source: hours, cells: hours.cellsOf('hour', purpose), dictionary: hours.dictionary }, shownAt);
          });
        };

  return {
    removed: (projectId) => snapshots.removed(projectId),
    close: () => snapshots.close(),
    hourlySums: reads.hourlySums,
    rangeSums: reads.rangeSums,
    sessionDurations,

    hourActivity,

    async distinctSubjects(projectId: string, ranges: readonly KeyedRange[], cap?: number) {
      if (ranges.length === 0) return new Map();
      const purposes = [...new Set(ranges.map((range) => range.purpose))];
      let from = Infinity;
      let to = -Infinity;
      for (const range of ranges) {
        from = Math.min(from, range.from);
        to = Math.max(to, range.to);
      }
      return (await hourActivity(projectId, purposes, from, to)).distinctSubjects(ranges, cap);
    },

    async returnIntervals(projectId, purpose, from, to, cap) {
      const cache = await refreshedMarks(projectId, 'day', [purpose], from, to);
      return [...gaps.gaps(`${projectId}\u0000${purpose}`, cache.cellsOf('day', purpose), cache.subjects, from, to, cap)];
    },
  };
}

