/**
 * A set of subject ordinals in ascending order, 2 bytes each: ordinals are kept as their low
 * 16 bits, block by block of 65,536 (`ends[b]` is where block b's ordinals end). Hour cells
 * hold under 1% of a project's subjects, so a list beats bits (`subject-bits.ts`); at 100,000
 * subjects x 12 weeks their 9.6 million marks took 38 MB as 32-bit ordinals and take 19 MB so.
 *
 * A list is never changed once made (a reloaded or reduced cell is a new object), so range
 * unions and memos compare lists by identity. Counting loops read `lows` and `ends` directly:
 *
 *   for (let block = 0, at = 0; block < ends.length; block++)
 *     for (const high = block * BLOCK; at < ends[block]; at++) use(high + lows[at]);
 */
export const BLOCK = 0x1_0000;

export class SubjectList {
  private constructor(
    readonly lows: Uint16Array,
    /** Per block of 65,536 ordinals, the index in `lows` where its ordinals end (ascending; the last is `lows.length`). */
    readonly ends: readonly number[],
  ) {}

  /** Subjects in the list (the cells' counters are compared with this). */
  get length(): number {
    return this.lows.length;
  }

  /** @example SubjectList.of([70_000, 3, 3]).ordinals() // [3, 70000] */
  static of(ordinals: ArrayLike<number>): SubjectList {
    const sorted = Uint32Array.from(ordinals).sort();
    let distinct = 0;
    for (let index = 0; index < sorted.length; index++) if (index === 0 || sorted[index] !== sorted[index - 1]) sorted[distinct++] = sorted[index]!;
    const lows = new Uint16Array(distinct);
    const ends: number[] = [];
    for (let index = 0; index < distinct; index++) {
      const block = Math.floor(sorted[index]! / BLOCK);
      while (ends.length < block) ends.push(index);
      lows[index] = sorted[index]! % BLOCK;
      if (ends.length === block) ends.push(index + 1);
      else ends[block] = index + 1;
    }
    return new SubjectList(lows, ends);
  }

  /** A list as a snapshot kept it (checked: blocks in order, each block's lows ascending). */
  static fromParts(lows: Uint16Array, ends: readonly number[]): SubjectList {
    let start = 0;
    for (const end of ends) {
      if (end < start || end > lows.length) throw new Error('cache snapshot damaged: an hour cell out of order');
      for (let at = start + 1; at < end; at++) if (lows[at]! <= lows[at - 1]!) throw new Error('cache snapshot damaged: an hour cell out of order');
      start = end;
    }
    if (start !== lows.length) throw new Error('cache snapshot damaged: an hour cell out of order');
    return new SubjectList(lows, ends);
  }

  /** The highest ordinal in the list (-1 when empty). */
  get highest(): number {
    for (let block = this.ends.length - 1; block >= 0; block--) {
      const start = block === 0 ? 0 : this.ends[block - 1]!;
      if (this.ends[block]! > start) return block * BLOCK + this.lows[this.ends[block]! - 1]!;
    }
    return -1;
  }

  includes(ordinal: number): boolean {
    const block = Math.floor(ordinal / BLOCK);
    if (block >= this.ends.length) return false;
    const low = ordinal % BLOCK;
    let from = block === 0 ? 0 : this.ends[block - 1]!;
    let to = this.ends[block]!;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (this.lows[middle]! < low) from = middle + 1;
      else to = middle;
    }
    return from < this.ends[block]! && this.lows[from] === low;
  }

  /**
   * The list without `ordinals`; this same list when it holds none of them (a binary search
   * each: an erasure looks for one subject in every hour cell).
   */
  without(ordinals: readonly number[]): SubjectList {
    const held = new Set(ordinals.filter((ordinal) => this.includes(ordinal)));
    if (held.size === 0) return this;
    const kept: number[] = [];
    this.forEach((ordinal) => {
      if (!held.has(ordinal)) kept.push(ordinal);
    });
    return SubjectList.of(kept);
  }

  /** Every ordinal, ascending (for the cold paths; counting loops read `lows` and `ends`). */
  forEach(use: (ordinal: number) => void): void {
    const { lows, ends } = this;
    for (let block = 0, at = 0; block < ends.length; block++) for (const high = block * BLOCK; at < ends[block]!; at++) use(high + lows[at]!);
  }

  /**
   * Sets the list's ordinals in `bits` (a bit per ordinal) and returns `count` plus how many
   * were not set yet; with `met`, those are also written to it from `count` on. Range unions
   * and range counts OR hundreds of cells per request: the loop is written out once, here.
   */
  orInto(bits: Uint32Array, count: number, met?: Uint32Array): number {
    const { lows, ends } = this;
    for (let block = 0, at = 0; block < ends.length; block++) {
      for (const high = block * BLOCK; at < ends[block]!; at++) {
        const ordinal = high + lows[at]!;
        const word = bits[ordinal >>> 5]!;
        const bit = 1 << (ordinal & 31);
        if ((word & bit) !== 0) continue;
        bits[ordinal >>> 5] = word | bit;
        if (met) met[count] = ordinal;
        count++;
      }
    }
    return count;
  }

  ordinals(): number[] {
    const out: number[] = [];
    this.forEach((ordinal) => out.push(ordinal));
    return out;
  }
}
