/**
 * One project's activity marks held in memory as subject sets: per (grain, purpose, bucket)
 * cell, the subjects marked in it as small integers (ordinals into the project's
 * dictionary of pseudonyms, `subject-dictionary.ts`), so a union over weeks of cells is a pass over typed arrays.
 * Hour cells keep the ordinals; day cells, dense enough that one bit per subject is smaller,
 * keep bits (`subject-bits.ts`).
 *
 * A cached cell is trusted only while two facts hold, both read from the database on every
 * request: the project's `stats_epoch` is the one the cache holds (removals bump it; the
 * cache either applies the removals its own process made, `advance`, or is dropped), and the
 * cell's `subjects` counter, kept in the same transaction as its marks, still equals the
 * cached set's size (marks are otherwise only added). Several server processes on one
 * PostgreSQL therefore never serve each other's stale sets.
 */
import type { CellMarks, MarkCell, MarkCounts, MarkGrain, StatsRemoval } from '../stats-store.js';
import { CellSeries, firstAtOrAfter, type CellSets } from './cell-series.js';
import { CheckedCells } from './checked-cells.js';
import { RangeUnions } from './range-unions.js';
import type { ImageReader, ImageWriter } from './snapshot/cache-image.js';
import { SubjectBits } from './subject-bits.js';
import { SubjectList } from './subject-list.js';
import { SubjectDictionary } from './subject-dictionary.js';

export type { CellSets };

/** A cell to read again, with the marks its counter says it holds now (what its read costs). */
export interface StaleCell extends MarkCell {
  readonly marks: number;
}

/** A cell's subjects: a list of ordinals in an hour cell, bits in a day cell. */
type SubjectSet = SubjectList | SubjectBits;
type AnySeries = CellSeries<SubjectList> | CellSeries<SubjectBits>;

const NO_HOURS: CellSets = new CellSeries();
const NO_DAYS: CellSets<SubjectBits> = new CellSeries<SubjectBits>();

/** What a snapshot keeps of a mark cache beside its sections. */
export interface MarkCacheHeader {
  readonly epoch: number;
  readonly series: readonly { readonly grain: MarkGrain; readonly purpose: string }[];
}

export class MarkCache {
  private readonly cells = new Map<string, AnySeries>();
  /** Unions over ranges of these cells, kept between requests (valid because cells only grow here). */
  readonly unions = new RangeUnions();
  /** Which ranges were read in full, and which cells were written since (`OwnWrites`). */
  readonly changes = new CheckedCells();

  constructor(
    public epoch: number,
    /** The project's subjects, shared with its session cache. */
    readonly dictionary = new SubjectDictionary(),
  ) {}

  /**
   * Applies the removals that raised the epoch to `epoch` (the removal log,
   * `rules/stats-removal-log.ts`): a subject's ordinal leaves every cell of the purposes named
   * that held it, and cells up to a retention cut-off are dropped.
   * A subject whose marks were put back instead (a restriction lifted) is then missing from
   * cells whose counter says otherwise, so those are read again; dropped cells are read again
   * when a range asks for them (retention keeps restricted and held subjects' marks). Every
   * counter is read in full once more: the cells written since the last full read are not
   * all the cells that changed.
   */
  advance(epoch: number, removals: readonly StatsRemoval[]): void {
    const subjects: { ordinal: number; purposes: readonly string[] | undefined }[] = [];
    let through = Number.NEGATIVE_INFINITY;
    for (const removal of removals) {
      const ordinal = removal.subject === undefined ? undefined : this.dictionary.ordinalOf(removal.subject);
      if (ordinal !== undefined) subjects.push({ ordinal, purposes: removal.purposes });
      if (removal.marksThrough !== undefined) through = Math.max(through, removal.marksThrough);
    }
    for (const [key, series] of this.cells) {
      const purpose = key.slice(key.indexOf('\u0000') + 1);
      const leaving = subjects.filter((subject) => !subject.purposes || subject.purposes.includes(purpose)).map((subject) => subject.ordinal);
      const buckets = [...series.buckets];
      const sets: readonly SubjectSet[] = [...series.sets];
      for (let cell = 0; cell < buckets.length; cell++) {
        const set = sets[cell]!;
        if (buckets[cell]! <= through) series.delete(buckets[cell]!);
        // A new set, never an edit in place: range unions and the gaps memo see the change by identity.
        else if (leaving.length > 0) (series as CellSeries<SubjectSet>).set(buckets[cell]!, set.without(leaving));
      }
    }
    this.changes.forget();
    this.epoch = epoch;
  }

  /** Sets the bit of every ordinal some cell holds (`bits`: a bit per ordinal of the dictionary). */
  heldOrdinals(bits: Uint32Array): void {
    for (const series of this.cells.values()) {
      for (const set of series.sets) {
        if (set instanceof SubjectList) set.orInto(bits, 0);
        else for (let word = 0; word < set.words.length; word++) bits[word]! |= set.words[word]!;
      }
    }
  }

  /** How many subjects the project's dictionary holds: the bound of every ordinal. */
  get subjects(): number {
    return this.dictionary.size;
  }

  /** The cells of one grain and purpose (a bucket without marks is absent). */
  cellsOf(grain: 'hour', purpose: string): CellSets;
  cellsOf(grain: 'day', purpose: string): CellSets<SubjectBits>;
  cellsOf(grain: MarkGrain, purpose: string): CellSets<SubjectSet>;
  cellsOf(grain: MarkGrain, purpose: string): CellSets<SubjectSet> {
    return this.cells.get(`${grain}\u0000${purpose}`) ?? (grain === 'day' ? NO_DAYS : NO_HOURS);
  }

  /**
   * The cells, among those `counts` covers for `purposes` over `[from, to)`, whose cached set
   * disagrees with the counter (a cell missing from `counts` must be empty). Both sides are
   * in bucket order, so this is one merge walk per purpose.
   */
  staleCells(grain: MarkGrain, purposes: readonly string[], from: number, to: number, counts: readonly MarkCounts[]): StaleCell[] {
    const stale: StaleCell[] = [];
    for (const purpose of purposes) {
      const { buckets, sets } = this.cellsOf(grain, purpose);
      const wanted = counts.find((entry) => entry.purpose === purpose) ?? { buckets: [], subjects: [] };
      let cached = firstAtOrAfter(buckets, from);
      let counted = 0;
      for (;;) {
        const cachedBucket = cached < buckets.length && buckets[cached]! < to ? buckets[cached]! : Number.POSITIVE_INFINITY;
        const countedBucket = counted < wanted.buckets.length ? wanted.buckets[counted]! : Number.POSITIVE_INFINITY;
        if (cachedBucket === Number.POSITIVE_INFINITY && countedBucket === Number.POSITIVE_INFINITY) break;
        if (cachedBucket < countedBucket) {
          // Cached, but its counter says it is empty now.
          stale.push({ purpose, bucket: cachedBucket, marks: 0 });
          cached++;
        } else if (countedBucket < cachedBucket) {
          stale.push({ purpose, bucket: countedBucket, marks: wanted.subjects[counted]! });
          counted++;
        } else {
          if (sets[cached]!.length !== wanted.subjects[counted]) stale.push({ purpose, bucket: cachedBucket, marks: wanted.subjects[counted]! });
          cached++;
          counted++;
        }
      }
    }
    return stale;
  }

  /** The cells of one grain whose cached set differs from its counter (`counts`, in the cells' order). */
  staleOf(grain: MarkGrain, cells: readonly MarkCell[], counts: readonly number[]): StaleCell[] {
    return cells
      .map((cell, index) => ({ purpose: cell.purpose, bucket: cell.bucket, marks: counts[index]! }))
      .filter((cell) => (this.cellsOf(grain, cell.purpose).get(cell.bucket)?.length ?? 0) !== cell.marks);
  }

  /** Replaces the given cells with the marks just read for them. */
  fill(grain: MarkGrain, cells: readonly MarkCell[], marks: readonly CellMarks[]): void {
    const loaded = new Map<string, SubjectSet>();
    for (const cell of marks) {
      const set = new Uint32Array(cell.pseudonyms.length);
      for (let index = 0; index < set.length; index++) set[index] = this.dictionary.ordinalFor(cell.pseudonyms[index]!);
      loaded.set(`${cell.purpose}\u0000${cell.bucket}`, grain === 'day' ? SubjectBits.of(set) : SubjectList.of(set));
    }
    for (const cell of cells) {
      const series = this.seriesOf(grain, cell.purpose);
      const set = loaded.get(`${cell.purpose}\u0000${cell.bucket}`);
      if (set && set.length > 0) (series as CellSeries<SubjectSet>).set(cell.bucket, set);
      else series.delete(cell.bucket);
    }
  }

  private seriesOf(grain: MarkGrain, purpose: string): AnySeries {
    const key = `${grain}\u0000${purpose}`;
    const held = this.cells.get(key);
    if (held) return held;
    const series: AnySeries = grain === 'day' ? new CellSeries<SubjectBits>() : new CellSeries<SubjectList>();
    this.cells.set(key, series);
    return series;
  }

  /** Writes the cache into a snapshot under `prefix` (its dictionary is written beside it); returns what `fromImage` needs beside the sections. */
  toImage(image: ImageWriter, prefix: string): MarkCacheHeader {
    const series: { grain: MarkGrain; purpose: string }[] = [];
    for (const [key, cells] of this.cells) {
      const [grain, purpose] = key.split('\u0000') as [MarkGrain, string];
      const { buckets, sets } = cells;
      const name = `${prefix}${series.length}.`;
      image.numbers(`${name}buckets`, Float64Array.from(buckets));
      image.numbers(`${name}lengths`, Uint32Array.from(sets as readonly SubjectSet[], (set) => set.length));
      if (grain === 'day') {
        const days = sets as readonly SubjectBits[];
        image.numbers(`${name}wordCounts`, Uint32Array.from(days, (set) => set.words.length));
        image.joined(`${name}words`, days.map((set) => set.words), 'u32');
      } else {
        const hours = sets as readonly SubjectList[];
        image.numbers(`${name}blockCounts`, Uint32Array.from(hours, (set) => set.ends.length));
        image.numbers(`${name}ends`, Uint32Array.from(hours.flatMap((set) => set.ends)));
        image.joined(`${name}lows`, hours.map((set) => set.lows), 'u16');
      }
      series.push({ grain, purpose });
    }
    return { epoch: this.epoch, series };
  }

  /** The cache `toImage` wrote, over the dictionary read from the same snapshot: each series' ordinals in one array, its sets views on that. */
  static fromImage(image: ImageReader, prefix: string, header: MarkCacheHeader, dictionary: SubjectDictionary): MarkCache {
    const cache = new MarkCache(header.epoch, dictionary);
    header.series.forEach(({ grain, purpose }, index) => {
      const name = `${prefix}${index}.`;
      const buckets = image.numbers(`${name}buckets`, 'f64');
      const lengths = image.numbers(`${name}lengths`, 'u32');
      if (buckets.length !== lengths.length) throw new Error('cache snapshot damaged: cells and sets differ');
      if (grain === 'day') {
        const wordCounts = image.numbers(`${name}wordCounts`, 'u32');
        const words = image.numbers(`${name}words`, 'u32');
        if (wordCounts.length !== buckets.length || wordCounts.reduce((sum, count) => sum + count, 0) !== words.length) throw new Error('cache snapshot damaged: cells and sets differ');
        if (wordCounts.some((count) => count > (cache.subjects + 31) >>> 5)) throw new Error('cache snapshot damaged: an ordinal without a pseudonym');
        const series = cache.seriesOf(grain, purpose) as CellSeries<SubjectBits>;
        let at = 0;
        for (let cell = 0; cell < buckets.length; cell++) series.set(buckets[cell]!, SubjectBits.fromWords(words.subarray(at, (at += wordCounts[cell]!)), lengths[cell]!));
        return;
      }
      const blockCounts = image.numbers(`${name}blockCounts`, 'u32');
      const ends = image.numbers(`${name}ends`, 'u32');
      const lows = image.numbers(`${name}lows`, 'u16');
      if (blockCounts.length !== buckets.length || blockCounts.reduce((sum, count) => sum + count, 0) !== ends.length || lengths.reduce((sum, length) => sum + length, 0) !== lows.length) {
        throw new Error('cache snapshot damaged: cells and sets differ');
      }
      const series = cache.seriesOf(grain, purpose) as CellSeries;
      let at = 0;
      let block = 0;
      for (let cell = 0; cell < buckets.length; cell++) {
        const list = SubjectList.fromParts(lows.subarray(at, (at += lengths[cell]!)), Array.from(ends.subarray(block, (block += blockCounts[cell]!))));
        // The highest ordinal is in the last block: below the dictionary's size, or the list names someone unknown.
        if (list.highest >= cache.subjects) throw new Error('cache snapshot damaged: an ordinal without a pseudonym');
        series.set(buckets[cell]!, list);
      }
    });
    return cache;
  }

  /** The ordinal of a pseudonym the project has seen, else undefined. */
  ordinalOf(pseudonym: string): number | undefined {
    return this.dictionary.ordinalOf(pseudonym);
  }
}
