import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueDate } from './requests.js';

describe('dueDate (Art. 12(3): one month)', () => {
  it('adds a calendar month and falls back to the last day of a shorter month', () => {
    expect(dueDate(Date.UTC(2026, 10, 24, 10))).toBe(Date.UTC(2026, 11, 24, 10));
    expect(dueDate(Date.UTC(2026, 0, 31, 9))).toBe(Date.UTC(2026, 1, 28, 9));
    expect(dueDate(Date.UTC(2028, 0, 31))).toBe(Date.UTC(2028, 1, 29));
    expect(dueDate(Date.UTC(2026, 11, 31))).toBe(Date.UTC(2027, 0, 31));
  });

  it('always lands in the next calendar month, 28 to 31 days later', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (at) => {
        const from = new Date(at);
        const due = new Date(dueDate(at));
        expect((due.getUTCFullYear() * 12 + due.getUTCMonth()) - (from.getUTCFullYear() * 12 + from.getUTCMonth())).toBe(1);
        const days = (due.getTime() - at) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(28);
        expect(days).toBeLessThanOrEqual(31);
      }),
    );
  });
});
