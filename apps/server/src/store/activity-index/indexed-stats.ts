/**
 * `StatsStore` on top of a dialect's `StatsReads`: distinct-subject counts, return intervals
 * and (where the store offers a feed) the session distribution come from in-memory caches,
 * refreshed per request from cheap facts that say what changed: `stats_epoch` for removals,
 * the `subjects` counters for marks, the sessions' `changed` order and the ledger's length.
 * A request then reads a few hundred counter rows and whatever changed since the last one
 * (usually the current hour), instead of every row in its weeks.
 */
import type { KeyedRange, MarkGrain, StatsReads, StatsStore } from '../stats-store.js';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { activityView } from './activity-view.js';
import { MarkCache } from './mark-cache.js';
import { eligibilityKey, SessionCache } from './session-cache.js';
import { ReturnGapsMemo } from './gaps-memo.js';

/**
 * Rows read per statement when a cache fills: a first request reads weeks of marks or every
 * session, and SQLite answers synchronously, so it reads in slices and lets the event loop
 * serve other requests (ingest) in between, each slice some 10-20 ms at 10,000 subjects.
 */
export interface ReadSlices {
  readonly cellsPerRead: number;
  readonly sessionsPerRead: number;
}
const SLICES: ReadSlices = { cellsPerRead: 64, sessionsPerRead: 10_000 };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createIndexedStats(reads: StatsReads, slices: ReadSlices = SLICES): StatsStore {
  const marks = new Map<string, MarkCache>();
  const sessions = new Map<string, SessionCache>();
  const gaps = new ReturnGapsMemo();
  // One refresh per project at a time: concurrent requests share the caches, not race to fill them.
  const busy = new Map<string, Promise<unknown>>();

  async function serially<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    while (busy.has(projectId)) await busy.get(projectId);
    const running = work();
    busy.set(projectId, running);
    try {
      return await running;
    } finally {
      busy.delete(projectId);
    }
  }

  /** The project's mark cache with every cell of `purposes` in `[from, to)` up to date. */
  const refreshedMarks = (projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number) =>
    serially(projectId, async () => {
      const epoch = await reads.statsEpoch(projectId);
      let cache = marks.get(projectId);
      if (cache?.epoch !== epoch) marks.set(projectId, (cache = new MarkCache(epoch)));
      const stale = cache.staleCells(grain, purposes, from, to, await reads.markCounts(projectId, grain, purposes, from, to));
      for (let start = 0; start < stale.length; start += slices.cellsPerRead) {
        if (start > 0) await nextTurn();
        const cells = stale.slice(start, start + slices.cellsPerRead);
        cache.fill(grain, cells, await reads.marks(projectId, grain, cells));
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
            let cache = sessions.get(projectId);
            if (cache?.epoch !== epoch) sessions.set(projectId, (cache = new SessionCache(epoch)));
            for (;;) {
              const page = await source.changedAfter(projectId, cache.cursor, slices.sessionsPerRead);
              cache.apply(page.changes, page.next);
              if (!page.more) break;
              await nextTurn();
            }
            const key = eligibilityKey(await source.eligibilityVersion(projectId), purpose);
            if (!cache.hasEligible(key)) cache.setEligible(key, await source.eligibleSubjects(projectId, purpose));
            return cache.bins(from, to, edges, { source: hours, cells: hours.cellsOf('hour', purpose), subjects: hours.subjects, ordinalOf: (pseudonym) => hours.ordinalOf(pseudonym) }, shownAt);
          });
        };

  return {
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
