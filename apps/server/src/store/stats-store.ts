/**
 * The reads behind statistics and update-timing advice. Everything else (time zones, DST,
 * k-anonymity, heatmap, window ranking, percentiles) is pure code in `stats/`.
 *
 * A dialect implements `StatsReads`, each as one query; distinct-subject counts and return
 * intervals are then answered by `activity-index/`, which keeps the activity marks as
 * in-memory subject sets checked against the database on every request (see there). Exact
 * distinct counts over weeks of marks are what made statistics slow when done in SQL.
 *
 * Every read is scoped to one project and one purpose: statistics read the `statistics`
 * purpose, advice reads `update_timing`. Restricted, erased and objecting subjects are already out
 * of the aggregates and activity they no longer count in (the store subtracts them when the
 * right changes), so these reads need no subject filter, except `sessionDurations`, which
 * reads the per-session rows and applies the same rule itself.
 */
import type { MetricName } from '../aggregates/metrics.js';

/**
 * One metric of one purpose per UTC hour, summed over its dimensions, as parallel arrays in
 * bucket order; an hour without a row, or whose sum is zero, may be absent. Arrays, not a
 * row object per hour: usage reads three metrics over 12 weeks, some 2,800 hours with data.
 */
export interface HourlySeries {
  readonly metric: MetricName;
  readonly buckets: readonly number[];
  readonly values: readonly number[];
}

/** One metric and dimension (an event name), summed over a range of hours. */
export interface RangeSum {
  readonly metric: MetricName;
  readonly dim: string;
  readonly value: number;
}

/**
 * A UTC range [from, to) of hour buckets, under a key: ranges sharing a key are counted as
 * one union. `purpose` may differ per range (feature marks use `featurePurpose(...)`).
 */
export interface KeyedRange {
  readonly key: string;
  readonly purpose: string;
  readonly from: number;
  readonly to: number;
}

/** A UTC range [from, to) of hour buckets. */
export interface HourRange {
  readonly from: number;
  readonly to: number;
}

/** Distinct subjects per range, and over the union of the ranges a caller chose by their own counts. */
export interface RangeSubjects {
  /** Per range, in the order asked. */
  readonly perRange: readonly number[];
  /** Over the union of the ranges whose own count `shown` accepted. */
  readonly shownUnion: number;
}

/**
 * Counts over hour-grain activity as it was when the view was taken. Asking for a purpose
 * or a range outside the view throws a RangeError.
 */
export interface ActivityView {
  /** Distinct subjects per hour of one purpose: the `subjects` aggregate, without a read of its own. */
  hourlySubjects(purpose: string): HourlySeries;
  /** As `StatsStore.distinctSubjects`. */
  distinctSubjects(ranges: readonly KeyedRange[], cap?: number): Map<string, number>;
  /**
   * Distinct subjects of one purpose per range, and over the union of the ranges whose own
   * count `shown` accepts: the usage buckets and their total, which k-anonymity confines to
   * the visible buckets.
   */
  rangeSubjects(purpose: string, ranges: readonly HourRange[], shown: (subjects: number) => boolean): RangeSubjects;
}

export interface ReturnGap {
  /** Days between two consecutive active (UTC) days of one subject: 1 = the next day. */
  readonly gapDays: number;
  readonly intervals: number;
  /** Distinct subjects with at least one interval of this length (at most the cap asked for). */
  readonly subjects: number;
}

export interface SessionBin {
  /** Index into the bin edges passed in. */
  readonly bin: number;
  readonly sessions: number;
  readonly subjects: number;
  /** The bin's sessions per duration-sketch bucket (`aggregates/duration-sketch.ts`), for percentiles. */
  readonly sketch: ReadonlyMap<number, number>;
}

/** One cell of distinct-subject marks: a purpose's hour or day bucket. */
export interface MarkCell {
  readonly purpose: string;
  readonly bucket: number;
}

/**
 * The `subjects` counters of one purpose's cells (how many marks each holds, kept in the
 * marks' transaction), as parallel arrays in bucket order; cells without marks are absent.
 * Arrays, not a row object per cell: a request checks 924 cells per purpose over 12 weeks.
 */
export interface MarkCounts {
  readonly purpose: string;
  readonly buckets: readonly number[];
  readonly subjects: readonly number[];
}

/** One cell's marks: the pseudonyms marked in it. */
export interface CellMarks extends MarkCell {
  readonly pseudonyms: readonly string[];
}

export type MarkGrain = 'hour' | 'day';

export interface StatsStore {
  /**
   * The named metrics of one purpose per hour with `from <= bucket < to`, summed over
   * dimensions: one series per metric asked for, in that order. (`subjects` is cheaper from
   * `hourActivity`, which reads those counters anyway.)
   */
  hourlySums(projectId: string, purpose: string, from: number, to: number, metrics: readonly MetricName[]): Promise<HourlySeries[]>;

  /** The named metrics of one purpose per dimension, summed over the hours with `from <= bucket < to`. */
  rangeSums(projectId: string, purpose: string, from: number, to: number, metrics: readonly MetricName[]): Promise<RangeSum[]>;

  /**
   * Distinct subjects in hour-grain `activity` over the union of each key's ranges; keys with
   * none are absent. With `cap`, a store may stop counting a key at `cap`: a count below it is
   * exact, a count of `cap` means "at least". A k-anonymity check needs no more than k, and a
   * busy range then costs k rows instead of all of them.
   */
  distinctSubjects(projectId: string, ranges: readonly KeyedRange[], cap?: number): Promise<Map<string, number>>;

  /**
   * The hour-grain `activity` of `purposes` over [from, to), checked fresh once, to count as
   * often as a request needs (see `ActivityView`).
   */
  hourActivity(projectId: string, purposes: readonly string[], from: number, to: number): Promise<ActivityView>;

  /**
   * Gaps between consecutive active days (day-grain `activity`, days in [from, to)), grouped
   * by length. With `cap`, a store may stop counting a length's subjects at `cap` (as in
   * `distinctSubjects`); intervals are always exact.
   */
  returnIntervals(projectId: string, purpose: string, from: number, to: number, cap?: number): Promise<ReturnGap[]>;

  /**
   * Sessions started in [from, to), binned by wall duration (end or last seen, minus start)
   * with the given lower edges (bin i is [edges[i], edges[i+1]), the last one open), counting
   * a session for `purpose` by the population rule of docs/stats.md: its start hour holds its
   * subject's hour mark of the purpose (its start was collected for the purpose, and no right
   * took that out since), and the subject is not restricted, not erased and not objecting to
   * the purpose (which also covers marks older than the held events a right replays).
   * `shownSubjects` counts the distinct subjects of the bins with at least `shownAt` subjects
   * (k-anonymity: the people behind the shown bins only).
   */
  sessionDurations(projectId: string, from: number, to: number, edges: readonly number[], purpose: string, shownAt: number): Promise<SessionDurations>;
}

export interface SessionDurations {
  /** Bins with at least one session, in bin order. */
  readonly bins: readonly SessionBin[];
  /** Distinct subjects over the bins whose own `subjects` reach `shownAt`. */
  readonly shownSubjects: number;
}

/** One session as the session cache keeps it; `changed` orders the feed. */
export interface SessionChange {
  /** The row's stable key within its project (SQLite's rowid, PostgreSQL's `row_key`). */
  readonly key: number;
  readonly pseudonym: string;
  readonly startedAt: number;
  /** Wall duration: end (or last seen) minus start. */
  readonly durationMs: number;
  readonly changed: number;
}

/**
 * A read of the session feed: the sessions changed since the cursor asked with, the cursor to
 * ask with next, and whether more may be waiting at once (the read stopped at its limit).
 */
export interface SessionFeedPage {
  readonly changes: readonly SessionChange[];
  readonly next: number;
  readonly more: boolean;
}

/**
 * How a dialect answers the session distribution: by binning in one query, or by a feed of
 * changed sessions that `activity-index/` caches and bins in memory. A feed must never skip a
 * row that commits after a read that came later in change order: SQLite's serialised writers
 * give commit order for free; PostgreSQL's feed reads from the oldest transaction still
 * running at its last read (postgres/stats-queries.ts).
 */
export type SessionSource =
  | { readonly kind: 'query'; readonly durations: StatsStore['sessionDurations'] }
  | {
      readonly kind: 'feed';
      /**
       * Sessions written since cursor `after` (-1: all), in `changed` order; at most `limit` where the
       * dialect reads in slices (a read may return a session it returned before: applying it again is harmless).
       */
      changedAfter(projectId: string, after: number, limit: number): Promise<SessionFeedPage>;
      /** Rises whenever a subject's consent or flags change in the project (every such change appends to its ledger). */
      eligibilityVersion(projectId: string): Promise<number>;
      /** The pseudonyms whose held data may count for the purpose: not restricted, erased or objecting to it. */
      eligibleSubjects(projectId: string, purpose: string): Promise<string[]>;
      /**
       * The subjects whose consent or flags changed after eligibility version `after` (those with
       * ledger entries since), each with whether its held data may count for the purpose now.
       */
      eligibilityChanges(projectId: string, purpose: string, after: number): Promise<EligibilityChange[]>;
    };

/** A subject whose eligibility may have changed, and whether it may count now. */
export interface EligibilityChange {
  readonly pseudonym: string;
  readonly eligible: boolean;
}

/** The feed kind of `SessionSource`. */
export type SessionFeed = Extract<SessionSource, { kind: 'feed' }>;

/**
 * What one removal took out of the data the statistics caches hold: the step that raised
 * `projects.stats_epoch` to `epoch`, logged with it (`stats_removals`,
 * `rules/stats-removal-log.ts`). Caches under an older epoch apply the steps instead of
 * filling again, whichever process made them.
 */
export interface StatsRemoval {
  /** A subject whose marks were taken out or put back (a right changed what counts, or erasure). */
  readonly subject?: string;
  /** The purposes whose marks of `subject` changed; every purpose when absent. */
  readonly purposes?: readonly string[];
  /** Marks of buckets up to and including this were deleted (retention; restricted and held subjects' stay). */
  readonly marksThrough?: number;
  /** The keys (`SessionChange.key`) of the sessions deleted. */
  readonly sessionKeys?: readonly number[];
}

/** What a dialect implements; `activity-index/` adds the distinct counts and the session cache on top. */
export interface StatsReads extends Pick<StatsStore, 'hourlySums' | 'rangeSums'> {
  /** `projects.stats_epoch`: changes whenever marks or sessions may have been removed. */
  statsEpoch(projectId: string): Promise<number>;
  /** The logged steps that raised the epoch from `after` to `upTo`, in order; undefined when the log no longer holds them all. */
  removals(projectId: string, after: number, upTo: number): Promise<StatsRemoval[] | undefined>;
  /** The `subjects` counters of the non-empty cells of one grain with `from <= bucket < to`: one entry per purpose asked for, in that order. */
  markCounts(projectId: string, grain: MarkGrain, purposes: readonly string[], from: number, to: number): Promise<MarkCounts[]>;
  /**
   * The marks of the given cells of one grain, a list per cell (a cell without marks may be
   * left out): a cold fill reads millions of marks, and a row per mark cost 2.5x the time.
   */
  marks(projectId: string, grain: MarkGrain, cells: readonly MarkCell[]): Promise<CellMarks[]>;
  readonly sessions: SessionSource;
}
