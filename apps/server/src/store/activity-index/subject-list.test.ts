/** Hour cells as sorted 16-bit lists in blocks of 65,536: the same set as the ordinals they were made of, across blocks. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, SubjectList } from './subject-list.js';

// Ordinals around the block edges and far past them, with repeats.
const ordinalArb = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: BLOCK - 3, max: BLOCK + 3 }), fc.integer({ min: 0, max: 4 * BLOCK }));
const listArb = fc.array(ordinalArb, { maxLength: 60 });

describe('SubjectList', () => {
  it('holds the distinct ordinals it was made of, finds each, and drops exactly those taken out', () => {
    fc.assert(
      fc.property(listArb, listArb, fc.array(ordinalArb, { maxLength: 20 }), (ordinals, leaving, probes) => {
        const list = SubjectList.of(ordinals);
        const distinct = [...new Set(ordinals)].sort((a, b) => a - b);
        expect(list.ordinals()).toEqual(distinct);
        expect(list.length).toBe(distinct.length);
        expect(list.highest).toBe(distinct.at(-1) ?? -1);
        for (const ordinal of [...probes, ...distinct]) expect(list.includes(ordinal)).toBe(distinct.includes(ordinal));
        const reduced = list.without(leaving);
        const kept = distinct.filter((ordinal) => !leaving.includes(ordinal));
        expect(reduced.ordinals()).toEqual(kept);
        // Untouched lists stay the same object (unions and memos compare by identity).
        if (kept.length === distinct.length) expect(reduced).toBe(list);
        // As a snapshot keeps it: lows and block ends.
        expect(SubjectList.fromParts(list.lows.slice(), [...list.ends]).ordinals()).toEqual(distinct);
      }),
    );
  });

  it('refuses parts out of order', () => {
    expect(() => SubjectList.fromParts(Uint16Array.of(5, 3), [2])).toThrow('cache snapshot damaged');
    expect(() => SubjectList.fromParts(Uint16Array.of(1, 2), [1])).toThrow('cache snapshot damaged');
    expect(SubjectList.fromParts(Uint16Array.of(7, 1), [1, 2]).ordinals()).toEqual([7, BLOCK + 1]);
  });
});
