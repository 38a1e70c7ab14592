/**
 * A project's subjects numbered once for every cache of the project: pseudonym -> ordinal (0,
 * 1, 2, ... in order of first sight) and back. The mark cache and the session cache both use
 * it, so 100,000 pseudonyms are held once, not once per cache (11 MB at 100,000 subjects), and
 * ordinals stay the same when a cache is dropped and filled again. A pseudonym stays until the
 * process ends, as it did in each cache before (an erased subject's ordinal only leaves the
 * sets; its pseudonym is already the keyed hash the database held).
 */
import type { ImageReader, ImageWriter } from './snapshot/cache-image.js';

export class SubjectDictionary {
  private readonly ordinals = new Map<string, number>();
  private readonly names: string[] = [];

  /** Subjects numbered so far: every ordinal is below this. */
  get size(): number {
    return this.names.length;
  }

  nameOf(ordinal: number): string {
    return this.names[ordinal]!;
  }

  /** The ordinal of a pseudonym seen before, else undefined. */
  ordinalOf(pseudonym: string): number | undefined {
    return this.ordinals.get(pseudonym);
  }

  /** The pseudonym's ordinal, numbering it when new. */
  ordinalFor(pseudonym: string): number {
    let ordinal = this.ordinals.get(pseudonym);
    if (ordinal === undefined) {
      this.ordinals.set(pseudonym, (ordinal = this.names.length));
      this.names.push(pseudonym);
    }
    return ordinal;
  }

  toImage(image: ImageWriter, prefix: string): void {
    image.lines(`${prefix}names`, this.names);
  }

  static fromImage(image: ImageReader, prefix: string): SubjectDictionary {
    const dictionary = new SubjectDictionary();
    for (const name of image.lines(`${prefix}names`)) dictionary.ordinalFor(name);
    return dictionary;
  }
}
