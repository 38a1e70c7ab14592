/**
 * Counting over cached subject sets (`MarkCache`): distinct subjects over unions of cells,
 * and the gaps between a subject's active days. Pure; each pass touches every ordinal of the
 * cells it covers once, and a stamp per key (not a cleared array) marks "already counted".
 */
import type { HourRange, KeyedRange, RangeSubjects, ReturnGap } from '../stats-store.js';
import { firstAtOrAfter, type CellSets } from './cell-series.js';
import { DAY_MS } from '../../aggregates/time-units.js';
import type { RangeUnions } from './range-unions.js';
import { bitCount, lowestBit, type SubjectBits } from './subject-bits.js';
import { BLOCK } from './subject-list.js';

/**
 * Unions kept between requests (`range-unions.ts`) for the cells of one grain: `key(purpose)`
 * names the cells; a range's union is kept under that name and the range.
 */
export interface KeptUnions {
  readonly unions: RangeUnions;
  key(purpose: string): string;
}

/**
 * Distinct subjects over the union of each key's ranges (hour cells with `from <= bucket <
 * to`); keys with none are absent. With `cap`, a key stops counting at `cap`.
 *
 * @example countDistinct((purpose) => cells, 3, [{ key: 'mon', purpose: 'statistics', from: 0, to: 7_200_000 }])
 * // Map { 'mon' => 2 } when hours 0 and 1 hold ordinals [0, 1] and [1]
 */
export function countDistinct(cellsOf: (purpose: string) => CellSets, subjects: number, ranges: readonly KeyedRange[], cap?: number, kept?: KeptUnions): Map<string, number> {
  const byKey = new Map<string, KeyedRange[]>();
  for (const range of ranges) {
    const list = byKey.get(range.key);
    if (list) list.push(range);
    else byKey.set(range.key, [range]);
  }
  const seen = new Uint32Array(subjects);
  const result = new Map<string, number>();
  // Ranges come by the thousand (the heatmap's hours, the windows' occurrences), mostly of one
  // purpose: its cells are looked up again only when the purpose changes.
  let purpose: string | undefined;
  let cells: CellSets | undefined;
  let stamp = 0;
  for (const [key, list] of byKey) {
    // A key of one long range, counted whole (a feature's people over weeks): its union is kept.
    if (kept && cap === undefined && list.length === 1) {
      const [range] = list as [KeyedRange];
      const { count } = kept.unions.union(`${kept.key(range.purpose)}\u0000${range.from}\u0000${range.to}`, cellsOf(range.purpose), subjects, range.from, range.to);
      if (count > 0) result.set(key, count);
      continue;
    }
    stamp++;
    let count = 0;
    walk: for (const range of list) {
      if (range.purpose !== purpose || cells === undefined) cells = cellsOf((purpose = range.purpose));
      const { buckets, sets } = cells;
      for (let cell = firstAtOrAfter(buckets, range.from); cell < buckets.length && buckets[cell]! < range.to; cell++) {
        const { lows, ends } = sets[cell]!;
        // Indexed, not for-of or a callback: this loop is most of a statistics request's own work.
        for (let block = 0, at = 0; block < ends.length; block++) {
          for (const high = block * BLOCK; at < ends[block]!; at++) {
            const ordinal = high + lows[at]!;
            if (seen[ordinal] === stamp) continue;
            seen[ordinal] = stamp;
            if (++count === cap) break walk;
          }
        }
      }
    }
    if (count > 0) result.set(key, count);
  }
  return result;
}

/**
 * Distinct subjects per range (hour cells with `from <= bucket < to`), and over the union of
 * the ranges whose count `shown` accepts. Each range's subjects are collected as a bitset
 * (one bit per ordinal), so the union is an OR of the shown ranges' bitsets: a usage total
 * over 12 weeks of days then costs 84 ORs of 313 words at 10,000 subjects, where counting
 * the union again walked all 240,000 marks a second time.
 *
 * @example countRanges(cells, 3, [{ from: 0, to: HOUR }, { from: HOUR, to: 2 * HOUR }], (n) => n >= 2)
 * // { perRange: [2, 1], shownUnion: 2 } when hour 0 holds ordinals [0, 1] and hour 1 holds [2]
 */
export function countRanges(cells: CellSets, subjects: number, ranges: readonly HourRange[], shown: (subjects: number) => boolean, kept?: { readonly unions: RangeUnions; readonly key: string }): RangeSubjects {
  const words = (subjects + 31) >>> 5;
  if (kept) {
    // Each range's union kept between requests; the total is an OR of the shown ones.
    const union = new Uint32Array(words);
    const perRange = ranges.map((range) => {
      const { bits, count } = kept.unions.union(`${kept.key}\u0000${range.from}\u0000${range.to}`, cells, subjects, range.from, range.to);
      if (shown(count)) for (let word = 0; word < words; word++) union[word] = union[word]! | bits[word]!;
      return count;
    });
    let shownUnion = 0;
    for (let word = 0; word < words; word++) shownUnion += bitCount(union[word]!);
    return { perRange, shownUnion };
  }
  const inRange = new Uint32Array(words);
  const union = new Uint32Array(words);
  // The ordinals first met in the current range: a sparse range merges and clears by these.
  const met = new Uint32Array(subjects);
  const perRange: number[] = [];
  const { buckets, sets } = cells;
  for (const range of ranges) {
    let count = 0;
    for (let cell = firstAtOrAfter(buckets, range.from); cell < buckets.length && buckets[cell]! < range.to; cell++) {
      count = sets[cell]!.orInto(inRange, count, met);
    }
    perRange.push(count);
    // With at least a subject per word, whole words are cheaper than one bit at a time.
    const dense = count >= words;
    if (shown(count)) {
      if (dense) for (let word = 0; word < words; word++) union[word] = union[word]! | inRange[word]!;
      else for (let index = 0; index < count; index++) union[met[index]! >>> 5] = union[met[index]! >>> 5]! | (1 << (met[index]! & 31));
    }
    // Every bit set in `inRange` belongs to this range, so zeroing its words clears it.
    if (dense) inRange.fill(0);
    else for (let index = 0; index < count; index++) inRange[met[index]! >>> 5] = 0;
  }
  let shownUnion = 0;
  for (let word = 0; word < words; word++) shownUnion += bitCount(union[word]!);
  return { perRange, shownUnion };
}

/**
 * Gaps between consecutive active days of each subject (day cells with `from <= bucket <
 * to`), grouped by length in days, with the number of subjects having each length. With
 * `cap`, a length's subjects are counted only up to `cap`: the cadence view compares them
 * with k, and a common length then stops touching the per-subject bits (one cache miss per
 * mark over 12 weeks of 10,000 subjects: most of this pass).
 */
export function returnGaps(days: CellSets<SubjectBits>, subjects: number, from: number, to: number, cap = Number.POSITIVE_INFINITY): ReturnGap[] {
  const start = firstAtOrAfter(days.buckets, from);
  const end = firstAtOrAfter(days.buckets, to);
  if (start >= end) return [];
  const first = days.buckets[start]!;
  const longest = Math.round((days.buckets[end - 1]! - first) / DAY_MS);
  const stride = longest + 1;
  // Day numbers from the first day, -1 before a subject's first active day.
  const lastDay = new Int32Array(subjects).fill(-1);
  // One bit per (subject, gap length): whether this subject was already counted for it.
  const counted = new Uint32Array(Math.ceil((subjects * stride) / 32));
  const intervals = new Uint32Array(stride);
  const subjectsPerGap = new Uint32Array(stride);
  for (let cell = start; cell < end; cell++) {
    const day = Math.round((days.buckets[cell]! - first) / DAY_MS);
    const { words } = days.sets[cell]!;
    for (let index = 0; index < words.length; index++) for (let bits = words[index]!; bits !== 0; bits &= bits - 1) {
      const ordinal = (index << 5) + lowestBit(bits);
      const previous = lastDay[ordinal]!;
      lastDay[ordinal] = day;
      if (previous < 0) continue;
      const gap = day - previous;
      intervals[gap]!++;
      if (subjectsPerGap[gap]! >= cap) continue;
      const bit = ordinal * stride + gap;
      const word = counted[bit >>> 5]!;
      const mask = 1 << (bit & 31);
      if ((word & mask) !== 0) continue;
      counted[bit >>> 5] = word | mask;
      subjectsPerGap[gap]!++;
    }
  }
  const gaps: ReturnGap[] = [];
  for (let gap = 1; gap <= longest; gap++) if (intervals[gap]! > 0) gaps.push({ gapDays: gap, intervals: intervals[gap]!, subjects: subjectsPerGap[gap]! });
  return gaps;
}
