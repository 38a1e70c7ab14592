/**
 * Parsers for the statistics query parameters that people type: durations (`2h`, `90m`,
 * `1d12h`), weekday lists (`mon-fri`, `sat,sun`, `fri-mon`) and hour lists (`0-6,22-23`,
 * `22-6`). Each returns a value or `undefined`; the routes turn `undefined` into a 400 naming
 * the field, the CLI into a usage message.
 */
import { DAY_MS, HOUR_MS, HOURS_PER_DAY, MINUTE_MS } from '../aggregates/time-units.js';
import { zonedTime } from './time-zone.js';

const UNIT_MS = { d: DAY_MS, h: HOUR_MS, m: MINUTE_MS } as const;
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * A duration in milliseconds, from units in descending order, each at most once.
 *
 * @example parseDurationParam('1h30m') // 5_400_000
 */
export function parseDurationParam(text: string): number | undefined {
  const match = /^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,6})m)?$/.exec(text.trim().toLowerCase());
  if (!match || text.trim() === '') return undefined;
  const [, d, h, m] = match;
  if (d === undefined && h === undefined && m === undefined) return undefined;
  const ms = Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m;
  return ms > 0 ? ms : undefined;
}

/** Expands `a-b` over a cycle of `size` (wrapping: `22-2` over 24 is 22, 23, 0, 1, 2). */
function cycleRange(from: number, to: number, size: number): number[] {
  const out: number[] = [];
  for (let value = from; ; value = (value + 1) % size) {
    out.push(value);
    if (value === to) return out;
  }
}

function parseList(text: string, size: number, item: (token: string) => number | undefined): number[] | undefined {
  const chosen = new Set<number>();
  for (const part of text.toLowerCase().split(',')) {
    const bounds = part.trim().split('-');
    if (bounds.length > 2) return undefined;
    const values = bounds.map(item);
    if (values.some((value) => value === undefined)) return undefined;
    const [from, to] = values as number[];
    for (const value of cycleRange(from!, to ?? from!, size)) chosen.add(value);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * ISO weekdays (1 = Monday ... 7 = Sunday) from names or numbers.
 *
 * @example parseDayList('fri-mon') // [1, 5, 6, 7]
 */
export function parseDayList(text: string): number[] | undefined {
  const days = parseList(text, 7, (token) => {
    const index = DAY_NAMES.findIndex((name) => token === name || (token.length > 3 && name === token.slice(0, 3) && /^[a-z]+$/.test(token)));
    if (index >= 0) return index;
    return /^[1-7]$/.test(token) ? Number(token) - 1 : undefined;
  });
  return days?.map((day) => day + 1);
}

/**
 * Local hours of the day (0-23); a range is inclusive and may wrap past midnight.
 *
 * @example parseHourList('22-1,5') // [0, 1, 5, 22, 23]
 */
export function parseHourList(text: string): number[] | undefined {
  return parseList(text, HOURS_PER_DAY, (token) => (/^\d{1,2}$/.test(token) && Number(token) < HOURS_PER_DAY ? Number(token) : undefined));
}

/**
 * A range bound: a local date (`2026-10-25`, local midnight in `tz`) or an ISO instant with
 * a zone (`2026-10-25T01:00:00Z`, `...+02:00`).
 *
 * @example parseInstant('2026-10-25', 'Europe/Brussels') // Date.UTC(2026, 9, 24, 22)
 */
export function parseInstant(text: string, tz: string): number | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
    return zonedTime({ year, month, day }, tz);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
