/** The return-gaps memo counts again exactly when a day cell of the range changed, or the question did. */
import { describe, expect, it, vi } from 'vitest';
import { CellSeries } from './cell-series.js';
import { ReturnGapsMemo } from './gaps-memo.js';
import { returnGaps } from './subject-counts.js';
import { SubjectBits } from './subject-bits.js';

const DAY = 86_400_000;

describe('ReturnGapsMemo', () => {
  it('answers from memory while the range’s cells are the same sets, and counts again when one is reloaded', () => {
    const count = vi.fn(returnGaps);
    const memo = new ReturnGapsMemo(count);
    const days = CellSeries.of([[0, SubjectBits.of([0, 1])], [DAY, SubjectBits.of([0])], [2 * DAY, SubjectBits.of([1])]]);
    const first = memo.gaps('p', days, 2, 0, 3 * DAY, 5);
    expect(first).toEqual([{ gapDays: 1, intervals: 1, subjects: 1 }, { gapDays: 2, intervals: 1, subjects: 1 }]);
    expect(memo.gaps('p', days, 2, 0, 3 * DAY, 5)).toBe(first);
    expect(count).toHaveBeenCalledTimes(1);

    // Another cap, range or scope is another question.
    memo.gaps('p', days, 2, 0, 3 * DAY, 1);
    memo.gaps('p', days, 2, 0, 2 * DAY, 5);
    memo.gaps('q', days, 2, 0, 3 * DAY, 5);
    expect(count).toHaveBeenCalledTimes(4);

    // A reloaded cell (a new set, here with subject 1 too) is counted again.
    days.set(DAY, SubjectBits.of([0, 1]));
    expect(memo.gaps('p', days, 2, 0, 3 * DAY, 5)).toEqual([{ gapDays: 1, intervals: 3, subjects: 2 }]);
    expect(count).toHaveBeenCalledTimes(5);

    // So is a cell added to or removed from the range; one outside it changes nothing.
    days.set(5 * DAY, SubjectBits.of([0]));
    expect(memo.gaps('p', days, 2, 0, 3 * DAY, 5)).toEqual([{ gapDays: 1, intervals: 3, subjects: 2 }]);
    expect(count).toHaveBeenCalledTimes(5);
    days.delete(2 * DAY);
    expect(memo.gaps('p', days, 2, 0, 3 * DAY, 5)).toEqual([{ gapDays: 1, intervals: 2, subjects: 2 }]);
    expect(count).toHaveBeenCalledTimes(6);
  });
});
