/**
 * Window advice on real hourly activity nobody shaped for us: westbound I-94 traffic
 * (test/data, CC BY 4.0: see its README), local US Central time with repeated, missing and DST-shifted hours. The
 * ranking runs through the same pure functions as the route, fed hour by hour from the CSV
 * (each vehicle in an hour counted as one user); the truth is computed independently here on
 * the CSV's own local labels.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planCandidates, rankWindows, type CandidateFigures } from './update-windows.js';
import { addLocalDays, localParts, startOfLocalWeek, zonedTime } from './time-zone.js';

const CSV = new URL('../../../../test/data/metro_interstate_traffic_volume.csv.gz', import.meta.url);
const TZ = 'America/Chicago';
const HOUR = 3_600_000;

/** Local label `YYYY-MM-DD HH` -> volume, first row of each repeated hour. */
function loadTraffic(): Map<string, number> {
  const byLabel = new Map<string, number>();
  const lines = gunzipSync(readFileSync(CSV)).toString('utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const cells = line.split(',');
    const label = cells[7]!.slice(0, 13);
    if (!byLabel.has(label)) byLabel.set(label, Number(cells[8]));
  }
  return byLabel;
}

const traffic = loadTraffic();

/** The same data keyed by UTC hour, as aggregates are: the only place local time is converted. */
function byUtcHour(): Map<number, number> {
  const out = new Map<number, number>();
  for (const [label, volume] of traffic) {
    const [y, m, d, h] = [label.slice(0, 4), label.slice(5, 7), label.slice(8, 10), label.slice(11, 13)].map(Number);
    out.set(zonedTime({ year: y!, month: m!, day: d!, hour: h! }, TZ), volume);
  }
  return out;
}

const VOLUME_UTC = byUtcHour();

function pipeline(monday: [number, number, number], weeks: number, duration: number, hours?: number[]) {
  const volume = VOLUME_UTC;
  const start = zonedTime({ year: monday[0], month: monday[1], day: monday[2] }, TZ);
  const candidates = planCandidates(start, weeks, duration, { days: [1, 2, 3, 4, 5, 6, 7], hours: hours ?? Array.from({ length: 24 }, (_, h) => h) }, TZ);
  const end = candidates[0]!.occurrences.at(-1)!.from + 7 * 24 * HOUR;
  const figures: CandidateFigures[] = candidates.map((candidate) => {
    const observed = candidate.occurrences
      .map((o) => {
        const values: number[] = [];
        for (let h = o.from; h < o.to; h += HOUR) if (volume.has(h)) values.push(volume.get(h)!);
        return values.length === duration ? values.reduce((a, b) => a + b, 0) : undefined;
      })
      .filter((users): users is number => users !== undefined);
    return { candidate, observed: observed.map((users) => ({ users, sessions: 0 })), userHours: observed.reduce((a, b) => a + b, 0) };
  });
  let total = 0;
  for (const [hour, value] of volume) if (hour >= start && hour < start + weeks * 7 * 24 * HOUR) total += value;
  return rankWindows(figures, { durationHours: duration, totalUserHours: total, k: 5, limit: 5, tz: TZ, earliest: end });
}

/** Independent truth on local labels: mean window volume per hour-of-week start, greedy non-overlapping. */
function truth(monday: [number, number, number], weeks: number, duration: number, hours?: number[]) {
  const label = (dayOffset: number, hour: number) => {
    const date = new Date(Date.UTC(monday[0], monday[1] - 1, monday[2] + dayOffset + Math.floor(hour / 24)));
    return `${date.toISOString().slice(0, 10)} ${String(hour % 24).padStart(2, '0')}`;
  };
  const allowed = new Set(hours ?? Array.from({ length: 24 }, (_, h) => h));
  const scored: { slot: number; mean: number }[] = [];
  for (let slot = 0; slot < 168; slot++) {
    const day = Math.floor(slot / 24);
    if (![...Array(duration).keys()].every((i) => allowed.has((slot + i) % 24))) continue;
    const sums: number[] = [];
    for (let week = 0; week < weeks; week++) {
      const values = [...Array(duration).keys()].map((i) => traffic.get(label(week * 7 + day, (slot % 24) + i)));
      if (values.every((v) => v !== undefined)) sums.push(values.reduce((a, b) => a! + b!, 0)!);
    }
    if (sums.length > 0) scored.push({ slot, mean: sums.reduce((a, b) => a + b, 0) / sums.length });
  }
  scored.sort((a, b) => a.mean - b.mean || a.slot - b.slot);
  const chosen: typeof scored = [];
  for (const s of scored) {
    const clash = chosen.some((c) => Math.min((c.slot - s.slot + 168) % 168, (s.slot - c.slot + 168) % 168) < duration);
    if (!clash && chosen.length < 5) chosen.push(s);
  }
  return chosen.map((c) => ({ slot: c.slot, users: Math.round(c.mean * 100) / 100 }));
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const asSlots = (windows: ReturnType<typeof pipeline>) => windows.map((w) => ({ slot: DAYS.indexOf(w.day) * 24 + Number(w.start.slice(0, 2)), users: w.users }));

describe('update windows on real traffic (I-94, US Central)', () => {
  it('the data has the quirks its README names', () => {
    expect(traffic.size).toBe(40_575);
  });

  it('ranks the quiet night windows of a summer period exactly as the truth computed from local labels', () => {
    const windows = pipeline([2018, 8, 6], 8, 2);
    expect(asSlots(windows)).toEqual(truth([2018, 8, 6], 8, 2));
    for (const w of windows) expect(Number(w.start.slice(0, 2))).toBeLessThanOrEqual(4);
    expect(windows.map((w) => `${w.day} ${w.start}-${w.end} ${w.users} ${w.weeksObserved} ${w.share}`)).toMatchInlineSnapshot(`
      [
        "Tue 02:00-04:00 609.63 8 0.0011",
        "Wed 02:00-04:00 654.63 8 0.0012",
        "Mon 02:00-04:00 658.38 8 0.0012",
        "Thu 02:00-04:00 681.14 7 0.0011",
        "Sun 03:00-05:00 713.63 8 0.0013",
      ]
    `);
  });

  it('across the November 2017 fall-back change the ranking still matches, with the windows in local night', () => {
    const windows = pipeline([2017, 10, 16], 8, 2);
    expect(asSlots(windows)).toEqual(truth([2017, 10, 16], 8, 2));
    expect(windows.map((w) => `${w.day} ${w.start} ${w.users} ${w.weeksObserved} ${w.share}`)).toMatchInlineSnapshot(`
      [
        "Mon 01:00 576.25 8 0.001",
        "Tue 01:00 587.5 8 0.001",
        "Thu 02:00 667.86 7 0.001",
        "Fri 02:00 691.5 8 0.0012",
        "Wed 02:00 704.17 6 0.0009",
      ]
    `);
  });

  it('respects allowed hours: with 18-23 only, the evening windows are ranked', () => {
    const hours = [18, 19, 20, 21, 22, 23];
    const windows = pipeline([2018, 8, 6], 8, 2, hours);
    expect(asSlots(windows)).toEqual(truth([2018, 8, 6], 8, 2, hours));
    for (const w of windows) expect(Number(w.start.slice(0, 2))).toBeGreaterThanOrEqual(18);
  });
});

describe('planCandidates', () => {
  it('starts every occurrence where zonedTime puts that local hour, through clock changes', () => {
    // Weeks holding Brussels' and New York's changes, Lord Howe's half-hour one, and Kolkata's
    // offset; Santiago and Beirut change at midnight, so a day can start at 01:00.
    const cases: [string, number][] = [
      ['Europe/Brussels', Date.UTC(2026, 9, 21)], ['Europe/Brussels', Date.UTC(2026, 2, 25)],
      ['America/New_York', Date.UTC(2026, 2, 5)], ['Australia/Lord_Howe', Date.UTC(2026, 3, 1)], ['Asia/Kolkata', Date.UTC(2026, 5, 3)],
      ['America/Santiago', Date.UTC(2026, 8, 1)], ['America/Santiago', Date.UTC(2026, 3, 1)], ['Asia/Beirut', Date.UTC(2026, 2, 25)], ['Asia/Beirut', Date.UTC(2026, 9, 21)],
    ];
    const all = { days: [1, 2, 3, 4, 5, 6, 7], hours: Array.from({ length: 24 }, (_, hour) => hour) };
    for (const [tz, near] of cases) {
      const monday = startOfLocalWeek(near, tz);
      for (const candidate of planCandidates(monday, 2, 1, all, tz)) {
        for (const occurrence of candidate.occurrences) {
          const day = localParts(addLocalDays(monday, occurrence.week * 7 + Math.floor(candidate.slot / 24), tz), tz);
          expect([tz, candidate.slot, occurrence.week, occurrence.from]).toEqual([tz, candidate.slot, occurrence.week, zonedTime({ year: day.year, month: day.month, day: day.day, hour: candidate.slot % 24 }, tz)]);
        }
      }
    }
  });
});
