/**
 * Update-window advice: every weekly window of `duration` hours that starts on a local hour
 * is a candidate; each is measured in every observed week (distinct users active during it,
 * sessions open during it) and ranked by expected disruption, quietest first. Windows are
 * wall-clock windows: "Tue 02:00, 2 h" starts at local 02:00 every week, whatever the offset;
 * a start that does not exist (spring forward) moves to the end of the gap, one that happens
 * twice (fall back) takes the first.
 */
import { reportable } from './k-anonymity.js';
import { HOUR_MS, HOURS_PER_DAY, HOURS_PER_WEEK } from '../aggregates/time-units.js';
import { addLocalDays, formatLocal, localParts, startOfLocalWeek, utcOffsetMs, WEEKDAY_NAMES, zonedTime } from './time-zone.js';


export interface WindowConstraints {
  /** Allowed ISO weekdays (1 = Monday) for every hour of the window. */
  readonly days: readonly number[];
  /** Allowed local hours (0-23) for every hour of the window. */
  readonly hours: readonly number[];
}

export interface Occurrence {
  readonly week: number;
  readonly from: number;
  readonly to: number;
}

export interface Candidate {
  /** Hour-of-week of the start: (ISO weekday - 1) * 24 + hour. */
  readonly slot: number;
  readonly occurrences: readonly Occurrence[];
}

/**
 * The candidates allowed by the constraints, each with its occurrence in each of `weeks`
 * local weeks from `periodStart` (a local Monday 00:00).
 *
 * @example planCandidates(monday, 8, 2, { days: [2], hours: [2, 3] }, 'Europe/Brussels') // [{ slot: 26, occurrences: [8 of them] }]
 */
export function planCandidates(periodStart: number, weeks: number, durationHours: number, constraints: WindowConstraints, tz: string): Candidate[] {
  const days = new Set(constraints.days);
  const hours = new Set(constraints.hours);
  // Each day's local midnight, date and offset, read once (not once per hour slot).
  const dates = Array.from({ length: weeks }, (_, week) =>
    Array.from({ length: 7 }, (_, day) => {
      const midnight = addLocalDays(periodStart, week * 7 + day, tz);
      return { midnight, offset: utcOffsetMs(midnight, tz), ...localParts(midnight, tz) };
    }),
  );
  /**
   * The start of local `hour` on `day`. Midnight plus `hour` hours is it whenever its wall clock
   * reads that hour of that day: the offset has not moved since midnight, so it is also the
   * first time the day shows that hour. When the midnight reads 00:00 (a change at midnight can
   * make it 01:00) and the offset is still the midnight's, the wall clock reads that hour
   * without being built; only hours after a change that day need `zonedTime`.
   */
  const startOf = (day: (typeof dates)[number][number], hour: number) => {
    const guess = day.midnight + hour * HOUR_MS;
    if (day.hour === 0 && day.minute === 0 && utcOffsetMs(guess, tz) === day.offset) return guess;
    const wall = localParts(guess, tz);
    return wall.hour === hour && wall.minute === 0 && wall.day === day.day ? guess : zonedTime({ year: day.year, month: day.month, day: day.day, hour }, tz);
  };
  const candidates: Candidate[] = [];
  for (let slot = 0; slot < HOURS_PER_WEEK; slot++) {
    let allowed = true;
    for (let offset = 0; offset < durationHours && allowed; offset++) {
      const at = (slot + offset) % HOURS_PER_WEEK;
      allowed = days.has(Math.floor(at / HOURS_PER_DAY) + 1) && hours.has(at % HOURS_PER_DAY);
    }
    if (!allowed) continue;
    const occurrences = dates.map((week, index) => {
      const from = startOf(week[Math.floor(slot / HOURS_PER_DAY)]!, slot % HOURS_PER_DAY);
      return { week: index, from, to: from + durationHours * HOUR_MS };
    });
    candidates.push({ slot, occurrences });
  }
  return candidates;
}

/** What one occurrence measured; an occurrence without data (before the data begins) is absent. */
export interface OccurrenceFigures {
  readonly users: number;
  readonly sessions: number;
}

export interface CandidateFigures {
  readonly candidate: Candidate;
  /** Per observed occurrence. */
  readonly observed: readonly OccurrenceFigures[];
  /** Activity (user-hours) inside the window, summed over its observed occurrences. */
  readonly userHours: number;
  /** Distinct users over all occurrences together, when known; needed only when every occurrence is under k. */
  readonly distinctUsers?: number;
}

export interface RankedWindow {
  readonly rank: number;
  readonly day: (typeof WEEKDAY_NAMES)[number];
  readonly start: string;
  readonly end: string;
  readonly durationHours: number;
  /** The first occurrence at or after now + notice, local ISO with offset. */
  readonly next: string;
  /** Mean distinct users active during an occurrence. */
  readonly users: number | null;
  /** Mean sessions open during an occurrence. */
  readonly sessions: number | null;
  /** Share of the period's activity (user-hours) that falls inside the window. */
  readonly share: number | null;
  readonly spread: { readonly min: number; readonly max: number; readonly stdev: number } | null;
  readonly weeksObserved: number;
  readonly suppressed: boolean;
  readonly reason: string;
}

export interface RankOptions {
  readonly durationHours: number;
  readonly totalUserHours: number;
  readonly k: number;
  readonly limit: number;
  readonly tz: string;
  /** Earliest allowed start (now + notice). */
  readonly earliest: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const pad = (n: number) => String(n).padStart(2, '0');

function overlaps(a: number, b: number, hours: number): boolean {
  const distance = Math.min((a - b + HOURS_PER_WEEK) % HOURS_PER_WEEK, (b - a + HOURS_PER_WEEK) % HOURS_PER_WEEK);
  return distance < hours;
}

/** The first local occurrence of `slot` at or after `earliest`. */
export function nextOccurrence(slot: number, earliest: number, tz: string): number {
  let weekStart = startOfLocalWeek(earliest, tz);
  for (;;) {
    const day = localParts(addLocalDays(weekStart, Math.floor(slot / HOURS_PER_DAY), tz), tz);
    const start = zonedTime({ year: day.year, month: day.month, day: day.day, hour: slot % HOURS_PER_DAY }, tz);
    if (start >= earliest) return start;
    weekStart = addLocalDays(weekStart, 7, tz);
  }
}

/**
 * Ranks candidates by mean users affected, then mean sessions affected, then share of
 * activity, then earliest in the week, and keeps the best `limit` that do not overlap each
 * other. Candidates with no observed week are left out.
 *
 * @example rankWindows(figures, { durationHours: 2, totalUserHours: 1000, k: 5, limit: 3, tz, earliest })[0].users // 0.5
 */
export function rankWindows(figures: readonly CandidateFigures[], options: RankOptions): RankedWindow[] {
  return selectWindows(figures, options).chosen.map((item, index) => describeWindow(item, index, options));
}

interface ScoredCandidate {
  readonly entry: CandidateFigures;
  readonly users: number;
  readonly sessions: number;
  readonly share: number;
}

/**
 * The ranking walk of `rankWindows`: `chosen` in rank order, and `examined`, every candidate
 * the walk looked at (chosen or skipped as overlapping). Candidates after the last examined
 * one cannot change the answer, which lets a caller measure them with lower bounds only.
 *
 * @example selectWindows(figures, options).examined.map((f) => f.candidate.slot) // [26, 27, 50, ...]
 */
export function selectWindows(
  figures: readonly CandidateFigures[],
  options: Pick<RankOptions, 'durationHours' | 'totalUserHours' | 'limit'>,
): { chosen: ScoredCandidate[]; examined: CandidateFigures[] } {
  const scored = figures
    .filter((entry) => entry.observed.length > 0)
    .map((entry) => {
      const n = entry.observed.length;
      const users = entry.observed.reduce((sum, o) => sum + o.users, 0) / n;
      const sessions = entry.observed.reduce((sum, o) => sum + o.sessions, 0) / n;
      const share = options.totalUserHours > 0 ? entry.userHours / options.totalUserHours : 0;
      return { entry, users, sessions, share };
    })
    .sort((a, b) => a.users - b.users || a.sessions - b.sessions || a.share - b.share || a.entry.candidate.slot - b.entry.candidate.slot);

  const chosen: ScoredCandidate[] = [];
  const examined: CandidateFigures[] = [];
  for (const item of scored) {
    if (chosen.length >= options.limit) break;
    examined.push(item.entry);
    if (chosen.some((other) => overlaps(other.entry.candidate.slot, item.entry.candidate.slot, options.durationHours))) continue;
    chosen.push(item);
  }
  return { chosen, examined };
}

function describeWindow(item: ScoredCandidate, index: number, options: RankOptions): RankedWindow {
  const { entry } = item;
  const slot = entry.candidate.slot;
  const counts = entry.observed.map((o) => o.users);
  const max = Math.max(...counts);
  // Distinct users over all occurrences is at least the largest occurrence.
  const behind = Math.max(max, entry.distinctUsers ?? 0);
  const visible = reportable(behind, options.k);
  const mean = item.users;
  const stdev = Math.sqrt(counts.reduce((sum, c) => sum + (c - mean) ** 2, 0) / counts.length);
  const day = WEEKDAY_NAMES[Math.floor(slot / HOURS_PER_DAY)]!;
  const start = `${pad(slot % HOURS_PER_DAY)}:00`;
  const end = `${pad((slot % HOURS_PER_DAY + options.durationHours) % HOURS_PER_DAY)}:00`;
  const weeks = entry.observed.length;
  const label = `${day} ${start}-${end}`;
  const reason = visible
    ? `${label}: ${round(mean, 1)} active users and ${round(item.sessions, 1)} open sessions on average ` +
      `(${round(item.share * 100, 2)}% of weekly activity), ${Math.min(...counts)}-${max} across ${weeks} week${weeks === 1 ? '' : 's'}`
    : `${label}: fewer than ${options.k} people were active in it across ${weeks} week${weeks === 1 ? '' : 's'}`;
  return {
    rank: index + 1,
    day,
    start,
    end,
    durationHours: options.durationHours,
    next: formatLocal(nextOccurrence(slot, options.earliest, options.tz), options.tz),
    users: visible ? round(mean, 2) : null,
    sessions: visible ? round(item.sessions, 2) : null,
    share: visible ? round(item.share, 4) : null,
    spread: visible ? { min: Math.min(...counts), max, stdev: round(stdev, 2) } : null,
    weeksObserved: weeks,
    suppressed: !visible,
    reason,
  };
}
