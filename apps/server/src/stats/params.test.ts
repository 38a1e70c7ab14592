/** The typed parameters: exact examples and properties over generated input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDayList, parseDurationParam, parseHourList, parseInstant } from './params.js';

describe('parseDurationParam', () => {
  it('reads units in descending order', () => {
    expect(parseDurationParam('2h')).toBe(7_200_000);
    expect(parseDurationParam('90m')).toBe(5_400_000);
    expect(parseDurationParam('1d12h')).toBe(129_600_000);
    expect(parseDurationParam('1h30m')).toBe(5_400_000);
    for (const bad of ['', 'h', '2', '2x', '30m1h', '-1h', '0h', '1.5h', ' ']) expect(parseDurationParam(bad)).toBeUndefined();
  });

  it('round-trips every generated d/h/m combination', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(99), fc.nat(999), (d, h, m) => {
        const text = `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
        const expected = d * 86_400_000 + h * 3_600_000 + m * 60_000;
        expect(parseDurationParam(text)).toBe(expected > 0 ? expected : undefined);
      }),
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const value = parseDurationParam(text);
      expect(value === undefined || (Number.isInteger(value) && value > 0)).toBe(true);
    }));
  });
});

describe('parseDayList and parseHourList', () => {
  it('expands names, numbers and wrapping ranges', () => {
    expect(parseDayList('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDayList('sat,sun')).toEqual([6, 7]);
    expect(parseDayList('fri-mon')).toEqual([1, 5, 6, 7]);
    expect(parseDayList('Tuesday,7')).toEqual([2, 7]);
    expect(parseHourList('0-6,22-23')).toEqual([0, 1, 2, 3, 4, 5, 6, 22, 23]);
    expect(parseHourList('22-1,5')).toEqual([0, 1, 5, 22, 23]);
    for (const bad of ['', 'funday', 'mon-', '1-2-3', '8']) expect(parseDayList(bad)).toBeUndefined();
    for (const bad of ['', '24', '1-24', 'a', '-1']) expect(parseHourList(bad)).toBeUndefined();
  });

  it('a range a-b holds (b - a mod 24) + 1 hours, each once, sorted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), (a, b) => {
        const hours = parseHourList(`${a}-${b}`)!;
        expect(hours.length).toBe(((b - a + 24) % 24) + 1);
        expect(hours).toEqual([...new Set(hours)].sort((x, y) => x - y));
        expect(hours).toContain(a);
        expect(hours).toContain(b);
      }),
    );
  });

  it('a list is the union of its parts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 10 }), (hours) => {
        expect(parseHourList(hours.join(','))).toEqual([...new Set(hours)].sort((x, y) => x - y));
      }),
    );
  });
});

describe('parseInstant', () => {
  it('reads local dates in the zone and instants with a zone', () => {
    expect(parseInstant('2026-10-25', 'Europe/Brussels')).toBe(Date.UTC(2026, 9, 24, 22));
    expect(parseInstant('2026-10-26', 'Europe/Brussels')).toBe(Date.UTC(2026, 9, 25, 23));
    expect(parseInstant('2026-10-25T01:00:00Z', 'Europe/Brussels')).toBe(Date.UTC(2026, 9, 25, 1));
    expect(parseInstant('2026-10-25T02:00+01:00', 'UTC')).toBe(Date.UTC(2026, 9, 25, 1));
    for (const bad of ['2026-02-30', '2026-10-25T01:00', 'yesterday', '']) expect(parseInstant(bad, 'UTC')).toBeUndefined();
  });
});
