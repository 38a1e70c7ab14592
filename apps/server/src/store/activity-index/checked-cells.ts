/**
 * What a mark cache knows it holds exactly, for `OwnWrites` (`indexed-stats.ts`): per grain
 * and purpose the range whose counters it last read in full, under which data version, and
 * the cells written since that a request has not checked yet. A range inside what was
 * read, under the same version, needs only those cells' counters.
 */
import type { MarkCell, MarkGrain } from '../stats-store.js';
import type { ChangedCell } from './mark-changes.js';

const MAX_WRITTEN = 100_000;

export class CheckedCells {
  private version: number | undefined;
  private readonly ranges = new Map<string, { from: number; to: number }>();
  private readonly written = new Map<string, ChangedCell>();

  /** Cells the writers changed: checked by the next request whose range holds them. */
  note(cells: readonly ChangedCell[]): void {
    for (const cell of cells) this.written.set(`${cell.grain}\u0000${cell.purpose}\u0000${cell.bucket}`, cell);
    // Cells of purposes nobody asks for pile up; past this, the next request reads in full.
    if (this.written.size > MAX_WRITTEN) {
      this.written.clear();
      this.ranges.clear();
    }
  }

  /** The written cells of `grain` and `purposes` in `[from, to)`, no longer pending. */
  takeWithin(grain: MarkGrain, purposes: readonly string[], from: number, to: number): MarkCell[] {
    const cells: MarkCell[] = [];
    for (const [key, cell] of this.written) {
      if (cell.grain !== grain || cell.bucket < from || cell.bucket >= to || !purposes.includes(cell.purpose)) continue;
      cells.push({ purpose: cell.purpose, bucket: cell.bucket });
      this.written.delete(key);
    }
    return cells;
  }

  /** Forgets every full read: the next request of each range reads all its counters. */
  forget(): void {
    this.ranges.clear();
    this.version = undefined;
  }

  /** Whether every purpose's `[from, to)` lies in a range read in full under `version`. */
  covers(version: number, grain: MarkGrain, purposes: readonly string[], from: number, to: number): boolean {
    if (version !== this.version) return false;
    return purposes.every((purpose) => {
      const range = this.ranges.get(`${grain}\u0000${purpose}`);
      return range !== undefined && range.from <= from && to <= range.to;
    });
  }

  /** Records a full read of the range under `version` (another version forgets every earlier read). */
  cover(version: number, grain: MarkGrain, purposes: readonly string[], from: number, to: number): void {
    if (version !== this.version) {
      this.ranges.clear();
      this.version = version;
    }
    for (const purpose of purposes) {
      const key = `${grain}\u0000${purpose}`;
      const range = this.ranges.get(key);
      // Overlapping or touching ranges join; a range apart replaces the one held.
      if (range && from <= range.to && range.from <= to) this.ranges.set(key, { from: Math.min(from, range.from), to: Math.max(to, range.to) });
      else this.ranges.set(key, { from, to });
    }
  }
}
