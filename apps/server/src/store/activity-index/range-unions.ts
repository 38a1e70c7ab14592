/**
 * Unions of subject sets over ranges of cells, kept between requests: a usage total over 84
 * days or a feature's people over 12 weeks of hours then costs a walk over the range's cells
 * to see which changed, and the new cells' subjects ORed in, not every mark of the range
 * again (2.4 million at 100,000 subjects x 12 weeks).
 *
 * This holds because a mark cache only ever grows its cells (`mark-cache.ts`: a removal
 * changes the stats epoch, and with it the whole cache): a changed cell's new set holds its
 * old one. That is checked, not assumed (a pass over the changed cells' old sets): a cell
 * that lost a subject or vanished has its range's union counted again from nothing.
 */
import { firstAtOrAfter, type CellSets } from './cell-series.js';
import type { SubjectList } from './subject-list.js';

export interface RangeUnion {
  /** One bit per subject ordinal. */
  readonly bits: Uint32Array;
  /** Bits set. */
  readonly count: number;
}

interface Entry {
  bits: Uint32Array;
  count: number;
  /** The sets the union was made of, by bucket: a cell whose set is another object is ORed in again. */
  seen: Map<number, SubjectList>;
}

/** @example new RangeUnions().union('statistics|0|86400000', cells, subjects, 0, 86_400_000).count */
export class RangeUnions {
  private readonly entries = new Map<string, Entry>();
  /** Per ordinal, the round of the superset check that met it. */
  private stamps = new Uint32Array(0);
  private round = 0;

  /** `limit`: unions kept at once (each one bit per subject: 12.5 kB at 100,000 subjects). */
  constructor(private readonly limit = 1_024) {}

  /** The union of the sets of `cells` with `from <= bucket < to`, under `key` (which must name the cells and the range). */
  union(key: string, cells: CellSets, subjects: number, from: number, to: number): RangeUnion {
    const words = (subjects + 31) >>> 5;
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    const { buckets, sets } = cells;
    const start = firstAtOrAfter(buckets, from);
    const end = firstAtOrAfter(buckets, to);
    if (!entry || !this.grewOnly(entry, buckets, sets, start, end, subjects)) entry = { bits: new Uint32Array(words), count: 0, seen: new Map() };
    if (entry.bits.length < words) {
      const bits = new Uint32Array(words);
      bits.set(entry.bits);
      entry.bits = bits;
    }
    const { bits } = entry;
    let { count } = entry;
    for (let cell = start; cell < end; cell++) {
      const set = sets[cell]!;
      if (entry.seen.get(buckets[cell]!) === set) continue;
      entry.seen.set(buckets[cell]!, set);
      count = set.orInto(bits, count);
    }
    entry.count = count;
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** Whether every cell the union was made of is still in the range and holds every subject it held. */
  private grewOnly(entry: Entry, buckets: readonly number[], sets: readonly SubjectList[], start: number, end: number, subjects: number): boolean {
    let present = 0;
    for (let cell = start; cell < end; cell++) {
      const before = entry.seen.get(buckets[cell]!);
      if (before === undefined) continue;
      present++;
      const set = sets[cell]!;
      if (set === before) continue;
      if (set.length < before.length) return false;
      if (this.stamps.length < subjects) this.stamps = new Uint32Array(subjects);
      const round = ++this.round;
      const { stamps } = this;
      set.forEach((ordinal) => (stamps[ordinal] = round));
      let held = true;
      before.forEach((ordinal) => (held &&= stamps[ordinal] === round));
      if (!held) return false;
    }
    return present === entry.seen.size;
  }
}
