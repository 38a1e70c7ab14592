/**
 * `StatsStore` on top of a dialect's `StatsReads`: distinct-subject counts and return
 * intervals come from in-memory subject sets (`MarkCache`), refreshed per request from the
 * two cheap facts that say which cells changed (`stats_epoch` and the `subjects` counters).
 * A request then reads a few hundred counter rows and the marks of the cells that changed
 * (usually the current hour), instead of every mark in its weeks.
 */
import type { KeyedRange, MarkGrain, StatsReads, StatsStore } from '../stats-store.js';
import { MarkCache } from './mark-cache.js';
import { countDistinct, returnGaps } from './subject-counts.js';

export function createIndexedStats(reads: StatsReads): StatsStore {
  const caches = new Map<string, MarkCache>();
  // One refresh per project at a time: concurrent requests share it instead of racing to fill.
  const refreshing = new Map<string, Promise<unknown>>();

  /** The project's cache with every cell of `purposes` in `[from, to)` up to date. */
  async function refreshed(projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number): Promise<MarkCache> {
    while (refreshing.has(projectId)) await refreshing.get(projectId);
    const work = (async () => {
      const epoch = await reads.statsEpoch(projectId);
      let cache = caches.get(projectId);
      if (cache?.epoch !== epoch) caches.set(projectId, (cache = new MarkCache(epoch)));
      const stale = cache.staleCells(grain, purposes, from, to, await reads.markCounts(projectId, grain, purposes, from, to));
      if (stale.length > 0) cache.fill(grain, stale, await reads.marks(projectId, grain, stale));
      return cache;
    })();
    refreshing.set(projectId, work);
    try {
      return await work;
    } finally {
      refreshing.delete(projectId);
    }
  }

  return {
    hourlySums: reads.hourlySums,
    rangeSums: reads.rangeSums,
    sessionDurations: reads.sessionDurations,

    async distinctSubjects(projectId: string, ranges: readonly KeyedRange[], cap?: number) {
      if (ranges.length === 0) return new Map();
      const purposes = [...new Set(ranges.map((range) => range.purpose))];
      let from = Infinity;
      let to = -Infinity;
      for (const range of ranges) {
        from = Math.min(from, range.from);
        to = Math.max(to, range.to);
      }
      const cache = await refreshed(projectId, 'hour', purposes, from, to);
      return countDistinct((purpose) => cache.cellsOf('hour', purpose), cache.subjects, ranges, cap);
    },

    async returnIntervals(projectId, purpose, from, to) {
      const cache = await refreshed(projectId, 'day', [purpose], from, to);
      return returnGaps(cache.cellsOf('day', purpose), cache.subjects, from, to);
    },
  };
}
