/**
 * Local time from UTC instants, with the runtime's IANA data (Intl), and back. Aggregates
 * are keyed by UTC hour, so every statistic is computed in UTC and only *labelled* and
 * *grouped* in local time: a fall-back night simply has two UTC hours labelled 02:00 (with
 * different offsets), a spring-forward night none, and a local day is 23, 24 or 25 UTC hours.
 */
import { HOUR_MS, MINUTE_MS } from '../aggregates/time-units.js';

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  readonly weekday: number;
  /** Local minus UTC, in minutes (Brussels in summer: 120). */
  readonly offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    // Bounded: zones come from validated requests, but stay safe under a stream of names.
    if (formatters.size > 500) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

/** Local minus UTC at `ms`, in ms, read from Intl (slow: about a microsecond per part). */
function exactOffsetMs(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets per zone and quarter hour of UTC: one statistics request asks for the local time of
 * thousands of instants, and Intl was most of its time. A quarter hour whose two ends have
 * different offsets holds a change, and is read exactly for each instant (NaN marks it).
 */
const QUARTER_MS = 15 * MINUTE_MS;
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED_QUARTERS = 500_000;
let cachedQuarters = 0;

function offsetMs(ms: number, tz: string): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  let byQuarter = offsetCache.get(tz);
  if (!byQuarter) offsetCache.set(tz, (byQuarter = new Map()));
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    const start = exactOffsetMs(quarter * QUARTER_MS, tz);
    offset = start === exactOffsetMs((quarter + 1) * QUARTER_MS - 1, tz) ? start : Number.NaN;
    // Bounded like the formatters: a full cache starts over rather than grow.
    if (++cachedQuarters > MAX_CACHED_QUARTERS) {
      offsetCache.clear();
      offsetCache.set(tz, byQuarter = new Map());
      cachedQuarters = 1;
    }
    byQuarter.set(quarter, offset);
  }
  return Number.isNaN(offset) ? exactOffsetMs(ms, tz) : offset;
}

/**
 * Local minus UTC at a UTC instant, in ms: `localParts` without building the wall clock, for
 * loops that only ask whether the offset moved.
 *
 * @example utcOffsetMs(Date.UTC(2026, 9, 25, 0), 'Europe/Brussels') // 7_200_000
 */
export function utcOffsetMs(ms: number, tz: string): number {
  return offsetMs(ms, tz);
}

/**
 * The wall clock of `tz` at a UTC instant.
 *
 * @example localParts(Date.UTC(2026, 9, 25, 0), 'Europe/Brussels') // { ..., hour: 2, offsetMinutes: 120 }
 */
export function localParts(ms: number, tz: string): LocalParts {
  const offset = offsetMs(ms, tz);
  const wall = new Date(ms + offset);
  return {
    year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(),
    weekday: ((wall.getUTCDay() + 6) % 7) + 1,
    offsetMinutes: Math.round(offset / MINUTE_MS),
  };
}

/**
 * The UTC instant of a local wall-clock time. A time that does not exist (skipped by a
 * spring-forward change) resolves to the first instant after the gap; a time that occurs twice
 * (fall back) resolves to its first occurrence, as RFC 5545 and Temporal's "compatible" do.
 *
 * @example zonedTime({ year: 2026, month: 3, day: 29, hour: 2 }, 'Europe/Brussels') // 01:00 UTC (03:00 CEST)
 */
export function zonedTime(wall: { year: number; month: number; day: number; hour?: number; minute?: number }, tz: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0);
  // Offsets either side of the wanted time: at most one change lies within a day.
  const before = localParts(asUtc - 12 * HOUR_MS, tz).offsetMinutes * MINUTE_MS;
  const after = localParts(asUtc + 12 * HOUR_MS, tz).offsetMinutes * MINUTE_MS;
  const valid = [asUtc - before, asUtc - after].filter((candidate) => wallOf(candidate, tz) === asUtc);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap the wall time never happens; read with the offset in force before the change,
  // it lands just after the gap (02:30 CET on a spring-forward night is 03:30 CEST).
  return asUtc - before;
}

function wallOf(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

/** Local midnight starting the local day that contains `ms`. */
export function startOfLocalDay(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return zonedTime({ year: p.year, month: p.month, day: p.day }, tz);
}

/** The local midnight `days` calendar days after the local day starting at `dayStart`. */
export function addLocalDays(dayStart: number, days: number, tz: string): number {
  const p = localParts(dayStart, tz);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedTime({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, tz);
}

/** Local Monday 00:00 of the local week that contains `ms`. */
export function startOfLocalWeek(ms: number, tz: string): number {
  const day = startOfLocalDay(ms, tz);
  return addLocalDays(day, -(localParts(day, tz).weekday - 1), tz);
}

/**
 * ISO 8601 local time with its offset, to the minute: `2026-10-25T02:00+01:00`. The offset
 * is what tells the two 02:00 hours of a fall-back night apart.
 */
export function formatLocal(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = p.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(p.offsetMinutes);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
