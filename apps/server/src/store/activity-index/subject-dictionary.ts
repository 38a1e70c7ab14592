/**
 * A project's subjects numbered once for every cache of the project: pseudonym -> ordinal (0,
 * 1, 2, ... in order of first sight) and back. The mark cache and the session cache both use
 * it, so 100,000 pseudonyms are held once, not once per cache (11 MB at 100,000 subjects), and
 * ordinals stay the same when a cache is dropped and filled again. A pseudonym stays in memory
 * until the process ends (an erased subject's ordinal only leaves the sets); a snapshot keeps
 * only the names of subjects some cache still holds (`toImage`), so an erased subject's
 * pseudonym is not written again.
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

  /** `held`: whether some cache holds the ordinal; the names of the others are written empty. */
  toImage(image: ImageWriter, prefix: string, held: (ordinal: number) => boolean = () => true): void {
    image.lines(`${prefix}names`, this.names.map((name, ordinal) => (held(ordinal) ? name : '')));
  }

  static fromImage(image: ImageReader, prefix: string): SubjectDictionary {
    const dictionary = new SubjectDictionary();
    for (const name of image.lines(`${prefix}names`)) {
      // An ordinal no cache held keeps its number and no name: a pseudonym seen again is numbered anew.
      if (name === '') dictionary.names.push('');
      else dictionary.ordinalFor(name);
    }
    return dictionary;
  }
}
