/**
 * A set of subject ordinals as one bit each. A day cell holds everyone active that day (a
 * quarter of 100,000 subjects in the benchmark's data): as ordinals that is 4 bytes a
 * subject, 114 kB a cell; as bits, 12.5 kB. Whenever more than one subject in 32 is in a
 * set, bits are the smaller form; hour cells are sparser and stay ordinal arrays.
 *
 * A set is never changed once made (a reloaded or reduced cell is a new object), so
 * memoised answers can compare sets by identity.
 */
export class SubjectBits {
  private constructor(
    readonly words: Uint32Array,
    /** Subjects in the set (the cells' counters are compared with this). */
    readonly length: number,
  ) {}

  /** @example SubjectBits.of([3, 40]).length // 2 */
  static of(ordinals: ArrayLike<number>): SubjectBits {
    let highest = -1;
    for (let index = 0; index < ordinals.length; index++) highest = Math.max(highest, ordinals[index]!);
    const words = new Uint32Array((highest + 32) >>> 5);
    let length = 0;
    for (let index = 0; index < ordinals.length; index++) {
      const ordinal = ordinals[index]!;
      const bit = 1 << (ordinal & 31);
      if ((words[ordinal >>> 5]! & bit) !== 0) continue;
      words[ordinal >>> 5]! |= bit;
      length++;
    }
    return new SubjectBits(words, length);
  }

  /** Words as a snapshot kept them, with the count it kept beside them (checked). */
  static fromWords(words: Uint32Array, length: number): SubjectBits {
    let counted = 0;
    for (let word = 0; word < words.length; word++) counted += bitCount(words[word]!);
    if (counted !== length) throw new Error('cache snapshot damaged: a day cell of another size');
    return new SubjectBits(words, length);
  }

  has(ordinal: number): boolean {
    return ordinal >>> 5 < this.words.length && (this.words[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0;
  }

  /** The set without `ordinals`; this same set when it holds none of them. */
  without(ordinals: readonly number[]): SubjectBits {
    const held = ordinals.filter((ordinal) => this.has(ordinal));
    if (held.length === 0) return this;
    const words = this.words.slice();
    for (const ordinal of held) words[ordinal >>> 5]! &= ~(1 << (ordinal & 31));
    return new SubjectBits(words, this.length - new Set(held).size);
  }

  /** The ordinals in ascending order (tests and small sets; counting loops read `words`). */
  ordinals(): number[] {
    const out: number[] = [];
    for (let word = 0; word < this.words.length; word++) {
      for (let bits = this.words[word]!; bits !== 0; bits &= bits - 1) out.push((word << 5) + lowestBit(bits));
    }
    return out;
  }
}

/** The index of the lowest set bit of a non-zero 32-bit word. */
export function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/** Set bits in a 32-bit word (the SWAR popcount). */
export function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
