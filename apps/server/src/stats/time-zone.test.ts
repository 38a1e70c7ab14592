/**
 * Local time around Brussels' 2026 clock changes: 29 March (02:00 CET -> 03:00 CEST at
 * 01:00 UTC) and 25 October (03:00 CEST -> 02:00 CET at 01:00 UTC).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addLocalDays, formatLocal, localParts, startOfLocalDay, startOfLocalWeek, zonedTime } from './time-zone.js';

const TZ = 'Europe/Brussels';
const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);

describe('time zones', () => {
  it('labels the two 02:00 hours of a fall-back night by their offsets', () => {
    expect([23, 0, 1, 2].map((h) => formatLocal(h === 23 ? utc(10, 24, 23) : utc(10, 25, h), TZ))).toEqual([
      '2026-10-25T01:00+02:00', '2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00', '2026-10-25T03:00+01:00',
    ]);
  });

  it('has no 02:00 on a spring-forward night', () => {
    expect([0, 1].map((h) => formatLocal(utc(3, 29, h), TZ))).toEqual(['2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00']);
  });

  it('resolves a repeated wall time to its first occurrence and a skipped one to the end of the gap', () => {
    expect(zonedTime({ year: 2026, month: 10, day: 25, hour: 2 }, TZ)).toBe(utc(10, 25, 0));
    expect(zonedTime({ year: 2026, month: 3, day: 29, hour: 2 }, TZ)).toBe(utc(3, 29, 1));
    expect(zonedTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, TZ)).toBe(utc(3, 29, 1, 30));
    expect(zonedTime({ year: 2026, month: 3, day: 29, hour: 3 }, TZ)).toBe(utc(3, 29, 1));
    expect(zonedTime({ year: 2026, month: 7, day: 1, hour: 12 }, TZ)).toBe(utc(7, 1, 10));
    expect(zonedTime({ year: 2026, month: 3, day: 8, hour: 2 }, 'America/New_York')).toBe(utc(3, 8, 7));
  });

  it('makes local days of 23, 24 and 25 hours and weeks start on local Monday', () => {
    const hours = (start: number) => (addLocalDays(start, 1, TZ) - start) / 3_600_000;
    expect(hours(startOfLocalDay(utc(3, 29, 12), TZ))).toBe(23);
    expect(hours(startOfLocalDay(utc(10, 25, 12), TZ))).toBe(25);
    expect(hours(startOfLocalDay(utc(10, 26, 12), TZ))).toBe(24);
    expect(startOfLocalDay(utc(10, 25, 12), TZ)).toBe(utc(10, 24, 22));
    expect(startOfLocalWeek(utc(10, 25, 12), TZ)).toBe(utc(10, 18, 22));
    expect(addLocalDays(utc(10, 18, 22), 7, TZ)).toBe(utc(10, 25, 23));
    expect(localParts(utc(10, 25, 12), TZ)).toEqual({ year: 2026, month: 10, day: 25, hour: 13, minute: 0, weekday: 7, offsetMinutes: 60 });
    expect(formatLocal(utc(6, 1, 0), 'Asia/Kolkata')).toBe('2026-06-01T05:30+05:30');
  });

  it('reads the same wall clock as Intl at any instant, also inside quarter hours that hold a change', () => {
    // Zones with half-hour DST (Lord Howe), 45-minute offsets (Chatham, Kathmandu), changes at
    // odd hours (St Johns), and an offset with seconds until 1972 (Monrovia).
    const zones = ['Europe/Brussels', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/St_Johns', 'Africa/Monrovia', 'UTC'];
    const intl = (ms: number, tz: string) => {
      const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
      const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
      return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1 };
    };
    // Around changes, to the millisecond: this year's, and Monrovia's of 1972 (-00:44:30 to
    // UTC at 00:44:30 UTC), one inside a quarter hour.
    const changes: [number, string][] = [
      [utc(3, 29, 1), 'Europe/Brussels'], [utc(10, 25, 1), 'Europe/Brussels'], [Date.UTC(2026, 3, 4, 15), 'Australia/Lord_Howe'],
      [Date.UTC(2026, 3, 4, 14), 'Pacific/Chatham'], [Date.UTC(2026, 2, 8, 5, 30), 'America/St_Johns'], [Date.UTC(1972, 0, 7, 0, 44, 30), 'Africa/Monrovia'],
    ];
    const anywhere = fc.tuple(fc.integer({ min: Date.UTC(1890, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones));
    const nearChange = fc.constantFrom(...changes).chain(([change, tz]) => fc.tuple(fc.integer({ min: change - 120_000, max: change + 120_000 }), fc.constant(tz)));
    fc.assert(
      fc.property(fc.oneof(anywhere, nearChange), ([ms, tz]) => {
        const { offsetMinutes: _offset, ...wall } = localParts(ms, tz);
        expect(wall).toEqual(intl(ms, tz));
      }),
      { numRuns: 2_000 },
    );
  });
});
