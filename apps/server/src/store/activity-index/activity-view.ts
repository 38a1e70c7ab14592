/**
 * A request's view of hour-grain activity: the cells of some purposes over a range, checked
 * against the database once, then counted as often as the request needs. Update-window
 * advice counts its candidates capped, then exactly, then together; each count used to
 * check every cell's counter again (924 per purpose over 12 weeks).
 *
 * The view only answers inside the purposes and range it was checked for, and says so when
 * asked outside them: a cell it never checked could be stale.
 */
import type { ActivityView, HourRange, HourlySeries, KeyedRange } from '../stats-store.js';
import { firstAtOrAfter } from './cell-series.js';
import type { MarkCache } from './mark-cache.js';
import { countDistinct, countRanges } from './subject-counts.js';

/** @example activityView(cache, ['statistics'], from, to).distinctSubjects([{ key: 'all', purpose: 'statistics', from, to }]) */
export function activityView(cache: MarkCache, purposes: readonly string[], from: number, to: number): ActivityView {
  const checked = (purpose: string, range: HourRange) => {
    if (!purposes.includes(purpose) || range.from < from || range.to > to) {
      throw new RangeError(`activity of ${purpose} over [${range.from}, ${range.to}) is outside the view checked for ${purposes.join(', ')} over [${from}, ${to})`);
    }
  };
  return {
    hourlySubjects(purpose: string): HourlySeries {
      checked(purpose, { from, to });
      const { buckets, sets } = cache.cellsOf('hour', purpose);
      const start = firstAtOrAfter(buckets, from);
      const end = firstAtOrAfter(buckets, to);
      // The freshness check made every set's size equal to its `subjects` counter.
      return { metric: 'subjects', buckets: buckets.slice(start, end), values: sets.slice(start, end).map((set) => set.length) };
    },

    distinctSubjects(ranges: readonly KeyedRange[], cap?: number) {
      for (const range of ranges) checked(range.purpose, range);
      return countDistinct((purpose) => cache.cellsOf('hour', purpose), cache.subjects, ranges, cap, { unions: cache.unions, key: (purpose) => `hour\u0000${purpose}` });
    },

    rangeSubjects(purpose: string, ranges: readonly HourRange[], shown: (subjects: number) => boolean) {
      for (const range of ranges) checked(purpose, range);
      return countRanges(cache.cellsOf('hour', purpose), cache.subjects, ranges, shown, { unions: cache.unions, key: `hour\u0000${purpose}` });
    },
  };
}
