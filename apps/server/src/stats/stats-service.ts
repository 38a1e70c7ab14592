/**
 * The statistics domain functions: each makes one to three store reads and hands the rows to
 * the pure functions beside it. Routes and the CLI call these; nothing here knows HTTP.
 * Statistics read the `statistics` purpose; heatmap and windows, the `update_timing` purpose.
 */
import type { PolicyDocument } from '@heed/policy';
import { DomainError } from '../errors/domain-error.js';
import { featurePurpose, timedPurpose } from '../aggregates/aggregate-plan.js';
import { DURATION_EDGES } from '../aggregates/duration-bins.js';
import { SKETCH_METRIC } from '../aggregates/duration-sketch.js';
import { HOUR_MS } from '../aggregates/time-units.js';
import type { StatsStore } from '../store/stats-store.js';
import { localBuckets, MAX_BUCKETS } from './buckets.js';
import { computeCadence } from './cadence.js';
import { computeFeatures, computeSessionDistribution, featureNames } from './distributions.js';
import { computeHeatmap, heatmapRanges, hourInstances, subjectsPerHour } from './heatmap.js';
import { hourSums } from './hour-sums.js';
import { computeFeatureTrends, trendKey } from './feature-trends.js';
import type { HeatmapQuery, RangeQuery, TrendsQuery, UsageQuery, WindowsQuery } from './stats-query.js';
import { addLocalDays, formatLocal, startOfLocalWeek } from './time-zone.js';
import { reportable } from './k-anonymity.js';
import { computeUsageBuckets, USAGE_METRICS, usageTotals } from './usage.js';
import { planCandidates, rankWindows, selectWindows, type Candidate, type CandidateFigures } from './update-windows.js';

export const STATISTICS = 'statistics';
export const UPDATE_TIMING = 'update_timing';
/** First-pass cap on users per window occurrence: quiet windows, the ones advice is about, stay exact. */
const WINDOW_COUNT_CAP = 16;

export interface StatsContext {
  readonly stats: StatsStore;
  readonly policy: PolicyDocument;
  readonly projectId: string;
  readonly now: number;
}

/** A request that is valid field by field but too large as a whole. */
const tooManyBuckets = () =>
  new DomainError('validation', { detail: `at most ${MAX_BUCKETS} buckets: choose a coarser grain or a shorter range` });

const k = (ctx: StatsContext) => ctx.policy.kAnonymity;

/** @example await usageStats(ctx, { grain: 'day', tz: 'Europe/Brussels', from, to }) */
export async function usageStats(ctx: StatsContext, query: UsageQuery) {
  const buckets = localBuckets(query.from, query.to, query.grain, query.tz);
  if (!buckets || buckets.length === 0) throw tooManyBuckets();
  const first = buckets[0]!.start;
  const last = buckets.at(-1)!.end;
  const [rows, activity] = await Promise.all([
    ctx.stats.hourlySums(ctx.projectId, STATISTICS, first, last, USAGE_METRICS),
    ctx.stats.hourActivity(ctx.projectId, [STATISTICS], first, last),
  ]);
  // Active users per bucket are distinct subjects (a day's are not the sum of its hours'), and
  // the total's are distinct over the visible buckets together: hidden ones stay out of it.
  const users = activity.rangeSubjects(STATISTICS, buckets.map((b) => ({ from: b.start, to: b.end })), (n) => reportable(n, k(ctx)));
  const cells = computeUsageBuckets(buckets, rows, k(ctx), users.perRange);
  return {
    tz: query.tz, grain: query.grain, from: formatLocal(first, query.tz), to: formatLocal(last, query.tz), k: k(ctx),
    buckets: cells,
    totals: usageTotals(cells, users.shownUnion, k(ctx)),
  };
}

/** Session durations of sessions started in the range (per-session rows are kept as long as the policy's `activity` retention, twelve weeks by default). */
export async function sessionStats(ctx: StatsContext, query: RangeQuery) {
  const bins = await ctx.stats.sessionDurations(ctx.projectId, query.from, query.to, DURATION_EDGES, STATISTICS, k(ctx));
  return { tz: query.tz, from: formatLocal(query.from, query.tz), to: formatLocal(query.to, query.tz), k: k(ctx), ...computeSessionDistribution(bins, k(ctx)) };
}

export async function featureStats(ctx: StatsContext, query: RangeQuery) {
  const from = Math.floor(query.from / HOUR_MS) * HOUR_MS;
  const rows = await ctx.stats.rangeSums(ctx.projectId, STATISTICS, from, query.to, ['events', 'timed', 'duration_ms', SKETCH_METRIC]);
  const names = featureNames(rows);
  // Who used each feature, and who timed it (its timings need k people of their own); the
  // timed ones are only compared with k, so they may stop counting there. One view of both
  // kinds of marks: the caches refresh one request at a time, and each refresh reads every
  // hour's counter of its purposes (on PostgreSQL the bulk of this route's time), so two
  // views would cost two refreshes in a row.
  const purposes = names.flatMap((name) => [featurePurpose(STATISTICS, name), timedPurpose(STATISTICS, name)]);
  const activity = await ctx.stats.hourActivity(ctx.projectId, purposes, from, query.to);
  const users = activity.distinctSubjects(names.map((name) => ({ key: name, purpose: featurePurpose(STATISTICS, name), from, to: query.to })));
  const timed = activity.distinctSubjects(names.map((name) => ({ key: name, purpose: timedPurpose(STATISTICS, name), from, to: query.to })), k(ctx));
  return { tz: query.tz, from: formatLocal(query.from, query.tz), to: formatLocal(query.to, query.tz), k: k(ctx), ...computeFeatures(rows, users, timed, k(ctx)) };
}

/**
 * Feature use per local day or week: one range read per bucket (day cells hold whole UTC
 * days, so each costs a few rows), and the distinct users of every (bucket, feature) at once.
 * Features are named as in the feature table: only those k people used over the range.
 */
export async function featureTrends(ctx: StatsContext, query: TrendsQuery) {
  const buckets = localBuckets(query.from, query.to, query.grain, query.tz);
  if (!buckets || buckets.length === 0) throw tooManyBuckets();
  const first = buckets[0]!.start;
  const last = buckets.at(-1)!.end;
  const whole = await ctx.stats.rangeSums(ctx.projectId, STATISTICS, first, last, ['events']);
  const all = featureNames(whole);
  const totals = await ctx.stats.distinctSubjects(ctx.projectId, all.map((name) => ({ key: name, purpose: featurePurpose(STATISTICS, name), from: first, to: last })));
  const names = all.filter((name) => reportable(totals.get(name), k(ctx))).sort();
  const sums = await Promise.all(buckets.map((b) => ctx.stats.rangeSums(ctx.projectId, STATISTICS, b.start, b.end, ['events'])));
  const users = await ctx.stats.distinctSubjects(ctx.projectId, buckets.flatMap((b, index) => names.map((name) => ({ key: trendKey(index, name), purpose: featurePurpose(STATISTICS, name), from: b.start, to: b.end }))));
  return {
    tz: query.tz, grain: query.grain, from: formatLocal(first, query.tz), to: formatLocal(last, query.tz), k: k(ctx),
    features: names,
    suppressedFeatures: all.length - names.length,
    buckets: computeFeatureTrends(buckets, sums, users, names, k(ctx)),
  };
}

/** The last `weeks` full local weeks before the current one. */
function fullWeeks(now: number, weeks: number, tz: string) {
  const to = startOfLocalWeek(now, tz);
  return { from: addLocalDays(to, -7 * weeks, tz), to };
}

export async function heatmapStats(ctx: StatsContext, query: HeatmapQuery) {
  const { from, to } = fullWeeks(ctx.now, query.weeks, query.tz);
  const instances = hourInstances(from, to, query.tz);
  const activity = await ctx.stats.hourActivity(ctx.projectId, [UPDATE_TIMING], from, to);
  const perHour = subjectsPerHour(activity.hourlySubjects(UPDATE_TIMING));
  // Only the k check reads these counts, so each cell may stop counting at k.
  const distinct = activity.distinctSubjects(heatmapRanges(instances, perHour, k(ctx), UPDATE_TIMING), k(ctx));
  const cells = computeHeatmap(instances, perHour, distinct, k(ctx));
  return { tz: query.tz, weeks: query.weeks, from: formatLocal(from, query.tz), to: formatLocal(to, query.tz), k: k(ctx), cells };
}

/**
 * Candidate windows measured over the last `weeks` full weeks: distinct users per
 * occurrence from activity; sessions open during an occurrence estimated as sessions started
 * in it plus those started in the hour before (most sessions are shorter than an hour, see
 * /v1/stats/sessions). Weeks before the first update-timing data are not observed.
 */
export async function updateWindows(ctx: StatsContext, query: WindowsQuery) {
  const { from, to } = fullWeeks(ctx.now, query.weeks, query.tz);
  const candidates = planCandidates(from, query.weeks, query.duration, { days: query.days, hours: query.hours }, query.tz);
  const span = { from: from - HOUR_MS, to: to + query.duration * HOUR_MS };
  // One view of the weeks' activity for every count below: capped, exact, and together.
  const [[sessions], activity] = await Promise.all([
    ctx.stats.hourlySums(ctx.projectId, UPDATE_TIMING, span.from, span.to, ['sessions']),
    ctx.stats.hourActivity(ctx.projectId, [UPDATE_TIMING], span.from, span.to),
  ]);
  const subjects = activity.hourlySubjects(UPDATE_TIMING);
  const userHoursIn = hourSums(subjects, span.from, span.to);
  const sessionsIn = hourSums(sessions!, span.from, span.to);
  const firstData = subjects.buckets[0] ?? Number.POSITIVE_INFINITY;
  // An occurrence that ended before the first data is not a quiet week, it is no week at all.
  const observed = (o: { to: number }) => Number.isFinite(firstData) && o.to > firstData;
  const rangesOf = (c: Candidate) => c.occurrences.filter(observed).map((o) => ({ key: `${c.slot}:${o.week}`, purpose: UPDATE_TIMING, from: o.from, to: o.to }));
  // Users per occurrence, first counted only up to a cap (a busy occurrence then costs `cap`
  // rows, not all of its rows); a capped count is a lower bound, which is all the ranking
  // needs for the candidates it never reaches. Those it reaches are recounted exactly, until
  // the walk meets none with a bound: sorting by bounds then gives the exact ranking.
  const cap = Math.max(k(ctx), WINDOW_COUNT_CAP);
  const users = activity.distinctSubjects(candidates.flatMap(rangesOf), cap);
  const bounded = new Set(candidates.filter((c) => c.occurrences.some((o) => (users.get(`${c.slot}:${o.week}`) ?? 0) >= cap)));
  const totalUserHours = userHoursIn(Math.max(from, Number.isFinite(firstData) ? firstData : from), to);
  // Sessions and user-hours stay as they are while users are recounted: measured once.
  const measured = candidates.map((candidate) => {
    const seen = candidate.occurrences.filter(observed);
    return {
      candidate,
      seen: seen.map((o) => ({ key: `${candidate.slot}:${o.week}`, sessions: sessionsIn(o.from - HOUR_MS, o.to) })),
      userHours: seen.reduce((sum, o) => sum + userHoursIn(o.from, o.to), 0),
    };
  });
  const figuresOf = (): CandidateFigures[] =>
    measured.map(({ candidate, seen, userHours }) => ({ candidate, observed: seen.map((o) => ({ users: users.get(o.key) ?? 0, sessions: o.sessions })), userHours }));
  let figures = figuresOf();
  const walk = { durationHours: query.duration, totalUserHours, limit: query.limit };
  for (;;) {
    const reached = selectWindows(figures, walk).examined.filter((f) => bounded.has(f.candidate));
    if (reached.length === 0) break;
    const exact = activity.distinctSubjects(reached.flatMap((f) => rangesOf(f.candidate)));
    for (const f of reached) {
      bounded.delete(f.candidate);
      for (const o of f.candidate.occurrences) users.delete(`${f.candidate.slot}:${o.week}`);
    }
    for (const [key, n] of exact) users.set(key, n);
    figures = figuresOf();
  }
  // A chosen window under k in every week needs its distinct users over all weeks together
  // (only to compare with k); the others never read it.
  const uncertain = selectWindows(figures, walk).chosen.map((c) => c.entry).filter((f) => f.observed.length > 0 && f.observed.every((o) => o.users < k(ctx)));
  const union = activity.distinctSubjects(
    uncertain.flatMap((f) => rangesOf(f.candidate).map((range) => ({ ...range, key: String(f.candidate.slot) }))),
    k(ctx),
  );
  const withUnion = figures.map((f) => ({ ...f, distinctUsers: union.get(String(f.candidate.slot)) }));
  const windows = rankWindows(withUnion, { durationHours: query.duration, totalUserHours, k: k(ctx), limit: query.limit, tz: query.tz, earliest: ctx.now + query.notice });
  // The cadence compares a gap length's subjects with k only.
  const gaps = await ctx.stats.returnIntervals(ctx.projectId, UPDATE_TIMING, from, to, k(ctx));
  return {
    tz: query.tz, weeks: query.weeks, durationHours: query.duration, from: formatLocal(from, query.tz), to: formatLocal(to, query.tz), k: k(ctx),
    constraints: { days: query.days, hours: query.hours, noticeHours: query.notice / HOUR_MS },
    candidates: candidates.length,
    windows,
    cadence: computeCadence(gaps, k(ctx)),
  };
}
