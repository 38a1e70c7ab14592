/**
 * ISO 8601 durations (`P30D`, `P25M`, `PT15M`, `P1Y2M3DT4H`) as used for retention periods.
 *
 * Retention is calendar arithmetic ("25 months"), not a fixed number of milliseconds, so a
 * duration is kept as its parts and applied to a date with {@link subtractDuration}.
 */

/** The parts of an ISO 8601 duration. Weeks are folded into days. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const DURATION_PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses an ISO 8601 duration of whole units; returns `undefined` for anything else.
 *
 * @example parseDuration('P30D') // { years: 0, months: 0, days: 30, hours: 0, minutes: 0, seconds: 0 }
 */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const part = (index: number): number => (match[index] === undefined ? 0 : Number(match[index]));
  const parts = [part(1), part(2), part(3), part(4), part(5), part(6), part(7)];
  // Digits beyond 2^53 would silently lose precision; such a retention is a typo, not a plan.
  if (parts.some((value) => !Number.isSafeInteger(value))) return undefined;
  return {
    years: part(1),
    months: part(2),
    days: part(3) * 7 + part(4),
    hours: part(5),
    minutes: part(6),
    seconds: part(7),
  };
}

/**
 * The instant `duration` before `epochMs`, in UTC calendar arithmetic
 * (31 March minus P1M is 3 March when February has 28 days, as `Date` does it).
 *
 * @example subtractDuration(Date.UTC(2026, 10, 24), parseDuration('P30D')!) // Date.UTC(2026, 9, 25)
 */
export function subtractDuration(epochMs: number, duration: Duration): number {
  const date = new Date(epochMs);
  date.setUTCFullYear(date.getUTCFullYear() - duration.years);
  date.setUTCMonth(date.getUTCMonth() - duration.months);
  date.setUTCDate(date.getUTCDate() - duration.days);
  return (
    date.getTime() -
    duration.hours * 3_600_000 -
    duration.minutes * 60_000 -
    duration.seconds * 1_000
  );
}

/**
 * A duration's length in milliseconds with calendar units at their average length; for
 * limits (how old an event may be), never for retention cut-offs.
 */
export function approximateDurationMs(duration: Duration): number {
  const day = 86_400_000;
  return (
    duration.years * 365.2425 * day +
    duration.months * 30.436875 * day +
    duration.days * day +
    duration.hours * 3_600_000 +
    duration.minutes * 60_000 +
    duration.seconds * 1_000
  );
}
