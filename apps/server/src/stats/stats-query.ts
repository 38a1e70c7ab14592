/**
 * The query parameters of the statistics routes (and CLI flags, which map onto them), as zod
 * schemas over strings. Ranges resolve against the request's time zone and the server clock,
 * so the schemas are built per request with `now`.
 */
import { isTimeZone } from '@heed/policy';
import { z } from 'zod';
import { STATS_GRAINS } from './buckets.js';
import { parseDayList, parseDurationParam, parseHourList, parseInstant } from './params.js';
import { DAY_MS, HOUR_MS, HOURS_PER_DAY } from '../aggregates/time-units.js';
import { addLocalDays, startOfLocalDay } from './time-zone.js';

/** Heed's home zone (the privacy policy's platform is Belgian). */
export const DEFAULT_STATS_TZ = 'Europe/Brussels';
export const DEFAULT_RANGE_DAYS = 28;
const MAX_RANGE_MS = 400 * DAY_MS;

const tz = z
  .string()
  .default(DEFAULT_STATS_TZ)
  .refine((value) => isTimeZone(value), 'must be an IANA time zone, e.g. Europe/Brussels');

const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be a whole number from ${min} to ${max}`)
    .optional()
    .transform((value) => value ?? fallback);

function parsed<T>(parse: (text: string) => T | undefined, message: string) {
  return z.string().transform((text, ctx) => {
    const value = parse(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return value;
  });
}

type RangeFields = { tz: string; from?: string | undefined; to?: string | undefined };

/** `from`/`to` as local dates or ISO instants; by default the last 28 local days, today included. */
function resolveRange(query: RangeFields, ctx: z.RefinementCtx, now: number) {
  const bound = (field: 'from' | 'to') => {
    const text = query[field];
    if (text === undefined) return undefined;
    const ms = parseInstant(text, query.tz);
    if (ms === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must be a date (2026-10-25) or an ISO instant with a zone (2026-10-25T01:00:00Z)' });
    return ms;
  };
  const to = bound('to') ?? addLocalDays(startOfLocalDay(now, query.tz), 1, query.tz);
  const from = bound('from') ?? addLocalDays(startOfLocalDay(to - 1, query.tz), -DEFAULT_RANGE_DAYS + 1, query.tz);
  if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
  if (to - from > MAX_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range may span at most 400 days' });
  return { tz: query.tz, from, to };
}

/** Every statistics route answers JSON, or with `format=csv` its rows as CSV (`stats-rows.ts`). */
const format = z.enum(['json', 'csv']).default('json');

const rangeFields = { tz, format, from: z.string().optional(), to: z.string().optional() };

export const rangeOnlyQuery = (now: number) => z.object(rangeFields).transform((query, ctx) => ({ format: query.format, ...resolveRange(query, ctx, now) }));

export const usageQuery = (now: number) =>
  z
    .object({ ...rangeFields, grain: z.enum(STATS_GRAINS).default('day') })
    .transform((query, ctx) => ({ grain: query.grain, format: query.format, ...resolveRange(query, ctx, now) }));

/** Feature trends: per local day (default) or week; hours would cost a read per hour. */
export const trendsQuery = (now: number) =>
  z
    .object({ ...rangeFields, grain: z.enum(['day', 'week']).default('day') })
    .transform((query, ctx) => ({ grain: query.grain, format: query.format, ...resolveRange(query, ctx, now) }));

export const heatmapQuery = z.object({ tz, format, weeks: intIn(1, 52, 8) });

export const windowsQuery = z.object({
  tz,
  format,
  weeks: intIn(1, 52, 8),
  limit: intIn(1, 20, 5),
  duration: parsed(parseDurationParam, 'must be a duration such as 2h, 90m or 1d')
    .optional()
    .transform((ms) => ms ?? 2 * HOUR_MS)
    .refine((ms) => ms % HOUR_MS === 0 && ms <= HOURS_PER_DAY * HOUR_MS, 'must be whole hours, from 1h to 24h')
    .transform((ms) => ms / HOUR_MS),
  days: parsed(parseDayList, 'must be weekdays such as mon-fri or sat,sun').optional().transform((days) => days ?? [1, 2, 3, 4, 5, 6, 7]),
  hours: parsed(parseHourList, 'must be local hours such as 0-6 or 22-5').optional().transform((hours) => hours ?? Array.from({ length: HOURS_PER_DAY }, (_, h) => h)),
  notice: parsed(parseDurationParam, 'must be a duration such as 24h or 2d').optional().transform((ms) => ms ?? 0),
});

export type UsageQuery = z.infer<ReturnType<typeof usageQuery>>;
export type TrendsQuery = z.infer<ReturnType<typeof trendsQuery>>;
export type RangeQuery = z.infer<ReturnType<typeof rangeOnlyQuery>>;
export type HeatmapQuery = z.infer<typeof heatmapQuery>;
export type WindowsQuery = z.infer<typeof windowsQuery>;
