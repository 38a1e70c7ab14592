/**
 * One project's activity marks held in memory as subject sets: per (grain, purpose, bucket)
 * cell, the subjects marked in it as small integers (ordinals into the project's own
 * dictionary of pseudonyms), so a union over weeks of cells is a pass over typed arrays.
 *
 * A cached cell is trusted only while two facts hold, both read from the database on every
 * request: the project's `stats_epoch` is the one the cell was loaded under (removals bump
 * it), and the cell's `subjects` counter, kept in the same transaction as its marks, still
 * equals the cached set's size (marks are otherwise only added). Several server processes
 * on one PostgreSQL therefore never serve each other's stale sets.
 */
import type { Mark, MarkCell, MarkCount, MarkGrain } from '../stats-store.js';

export type CellSets = ReadonlyMap<number, Uint32Array>;

export class MarkCache {
  private readonly ordinals = new Map<string, number>();
  private readonly cells = new Map<string, Map<number, Uint32Array>>();

  constructor(readonly epoch: number) {}

  /** How many distinct pseudonyms the cache has seen: the bound of every ordinal. */
  get subjects(): number {
    return this.ordinals.size;
  }

  /** The cells of one grain and purpose, by bucket (absent = no marks). */
  cellsOf(grain: MarkGrain, purpose: string): CellSets {
    return this.cells.get(`${grain}\u0000${purpose}`) ?? new Map();
  }

  /**
   * The cells, among those `counts` covers for `purposes` over `[from, to)`, whose cached set
   * disagrees with the counter (a cell missing from `counts` must be empty).
   */
  staleCells(grain: MarkGrain, purposes: readonly string[], from: number, to: number, counts: readonly MarkCount[]): MarkCell[] {
    const stale: MarkCell[] = [];
    const expected = new Map<string, Map<number, number>>();
    for (const count of counts) {
      let byBucket = expected.get(count.purpose);
      if (!byBucket) expected.set(count.purpose, (byBucket = new Map()));
      byBucket.set(count.bucket, count.subjects);
    }
    for (const purpose of purposes) {
      const cached = this.cellsOf(grain, purpose);
      const wanted = expected.get(purpose) ?? new Map<number, number>();
      for (const [bucket, subjects] of wanted) if ((cached.get(bucket)?.length ?? 0) !== subjects) stale.push({ purpose, bucket });
      for (const bucket of cached.keys()) if (bucket >= from && bucket < to && !wanted.has(bucket)) stale.push({ purpose, bucket });
    }
    return stale;
  }

  /** Replaces the given cells with the marks just read for them. */
  fill(grain: MarkGrain, cells: readonly MarkCell[], marks: readonly Mark[]): void {
    const loaded = new Map<string, number[]>();
    for (const mark of marks) {
      const key = `${mark.purpose}\u0000${mark.bucket}`;
      let list = loaded.get(key);
      if (!list) loaded.set(key, (list = []));
      list.push(this.ordinalOf(mark.pseudonym));
    }
    for (const cell of cells) {
      const mapKey = `${grain}\u0000${cell.purpose}`;
      let byBucket = this.cells.get(mapKey);
      if (!byBucket) this.cells.set(mapKey, (byBucket = new Map()));
      const list = loaded.get(`${cell.purpose}\u0000${cell.bucket}`);
      if (list) byBucket.set(cell.bucket, Uint32Array.from(list));
      else byBucket.delete(cell.bucket);
    }
  }

  private ordinalOf(pseudonym: string): number {
    let ordinal = this.ordinals.get(pseudonym);
    if (ordinal === undefined) this.ordinals.set(pseudonym, (ordinal = this.ordinals.size));
    return ordinal;
  }
}
