/** Subject sets as bits (day cells) hold exactly the ordinals they were made of, and lose exactly those taken out. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SubjectBits } from './subject-bits.js';

const ordinalsArb = fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 80 });

describe('SubjectBits', () => {
  it('holds the distinct ordinals it was made of, and drops exactly those taken out', () => {
    fc.assert(
      fc.property(ordinalsArb, ordinalsArb, (ordinals, leaving) => {
        const set = SubjectBits.of(ordinals);
        const distinct = [...new Set(ordinals)].sort((a, b) => a - b);
        expect(set.ordinals()).toEqual(distinct);
        expect(set.length).toBe(distinct.length);
        for (let ordinal = 0; ordinal <= 310; ordinal++) expect(set.has(ordinal)).toBe(distinct.includes(ordinal));
        const reduced = set.without(leaving);
        const kept = distinct.filter((ordinal) => !leaving.includes(ordinal));
        expect(reduced.ordinals()).toEqual(kept);
        expect(reduced.length).toBe(kept.length);
        // Untouched sets stay the same object (memos compare by identity); changed ones are new, the old one intact.
        if (kept.length === distinct.length) expect(reduced).toBe(set);
        else expect(set.ordinals()).toEqual(distinct);
      }),
    );
  });

  it('reads words back only with the count they hold', () => {
    const set = SubjectBits.of([1, 33, 64]);
    expect(SubjectBits.fromWords(set.words.slice(), 3).ordinals()).toEqual([1, 33, 64]);
    expect(() => SubjectBits.fromWords(set.words.slice(), 2)).toThrow('cache snapshot damaged');
  });
});
