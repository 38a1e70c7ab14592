/**
 * The store's tables and what retention deletes from them, as data written once: the lists
 * had drifted between the two drivers (PostgreSQL's `counts()` had lost a table). A driver
 * adds only what is its own (SQLite's `subject_runs` locator table).
 */
import type { PrunableClass } from '../store.js';

/** Every table both stores hold, in the order `counts()` reports them. */
export const TABLES = [
  'projects', 'api_keys', 'identity_secrets', 'subjects', 'subject_tokens', 'consent_ledger', 'ledger_heads', 'events', 'sessions',
  'activity', 'aggregates', 'suppressions', 'rights_requests',
] as const;

export interface PruneTarget {
  readonly table: string;
  /** The time column compared with the retention cut-off. */
  readonly column: string;
  /** A further condition, e.g. only answered requests. */
  readonly also?: string;
  /** Whether removing rows may change what the stats caches hold (see projects.stats_epoch). */
  readonly bumpsStatsEpoch: boolean;
}

/** Each data class: raw events by arrival, sessions by last activity, activity and aggregates by bucket, answered requests by arrival. */
export const PRUNE_TARGETS: Readonly<Record<PrunableClass, PruneTarget>> = {
  rawEvents: { table: 'events', column: 'received_at', bumpsStatsEpoch: false },
  sessions: { table: 'sessions', column: 'last_seen_at', bumpsStatsEpoch: true },
  activity: { table: 'activity', column: 'bucket', bumpsStatsEpoch: true },
  aggregates: { table: 'aggregates', column: 'bucket', bumpsStatsEpoch: false },
  rightsRequests: { table: 'rights_requests', column: 'received_at', also: 'completed_at IS NOT NULL', bumpsStatsEpoch: false },
};

/**
 * The WHERE condition of a target with the cut-off as `param`.
 *
 * @example pruneCondition(PRUNE_TARGETS.rightsRequests, '?') // 'received_at < ? AND completed_at IS NOT NULL'
 */
export const pruneCondition = (target: PruneTarget, param: string): string =>
  `${target.column} < ${param}${target.also === undefined ? '' : ` AND ${target.also}`}`;
