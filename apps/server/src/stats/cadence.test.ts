/** The cadence sentence reads right for one day and for several (issue #18: "within 1: shipping at most every 1 day"). */
import { expect, it } from 'vitest';
import { cadenceSentence, computeCadence } from './cadence.js';

it('says days with their unit and the advice as a frequency', () => {
  expect(cadenceSentence(1, 1)).toBe('Half of returns come within 1 day and three quarters within 1 day: ship no more than once a day, so most returning users see each update before the next one.');
  expect(cadenceSentence(2, 5)).toBe('Half of returns come within 2 days and three quarters within 5 days: ship no more than once every 5 days, so most returning users see each update before the next one.');
  expect(cadenceSentence(null, null)).toBe('Not enough returning users yet to say how often they come back.');
});

it('reads the days from the visible gaps only', () => {
  const cadence = computeCadence([{ gapDays: 1, intervals: 30, subjects: 9 }, { gapDays: 3, intervals: 10, subjects: 6 }, { gapDays: 9, intervals: 5, subjects: 2 }], 5);
  expect([cadence.medianDays, cadence.p75Days]).toEqual([1, 1]);
  expect(cadence.bins.map((bin) => bin.intervals)).toEqual([30, null, 10, null, null, null]);
});
