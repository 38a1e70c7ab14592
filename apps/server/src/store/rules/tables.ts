/**
 * The store's tables and what retention deletes from them, as data and SQL fragments written
 * once (both dialects accept them: `TRUE`/`FALSE`, `coalesce`, `NOT EXISTS`); the lists had
 * drifted between the two drivers. A driver adds only what is its own (SQLite's
 * `subject_runs`) and its way of chunking a delete.
 */
import type { PrunableClass } from '../store.js';
import type { StatsRemoval } from '../stats-store.js';

/** Every table both stores hold, in the order `counts()` reports them. */
export const TABLES = [
  'projects', 'api_keys', 'identity_secrets', 'policy_versions', 'subjects', 'subject_tokens', 'consent_ledger', 'ledger_heads',
  'ledger_checkpoints', 'events', 'sessions', 'activity', 'aggregates', 'suppressions', 'rights_requests', 'stats_removals',
  'stats_snapshots',
] as const;

export interface PruneTarget {
  readonly table: string;
  /** The time compared with the retention cut-off. */
  readonly time: string;
  /** A further condition on the rows that may go. */
  readonly also?: string;
  /** Rows of one subject: those of a restricted subject, or one under a legal hold, stay (Art. 18, Art. 17(3)). */
  readonly perSubject: boolean;
  /** What of the statistics caches' data its rows are, if any (see projects.stats_epoch and `statsRemoval`). */
  readonly cached?: 'sessions' | 'marks';
}

/** The placeholders of a driver's prune statement. */
export interface PruneParams {
  readonly project: string;
  readonly before: string;
  readonly now: string;
}

/**
 * Each data class (docs/operations.md, "Retention"): raw events by arrival, sessions by last
 * activity, activity marks and aggregates by bucket, rights requests by when they were closed
 * (an open one never goes), subject rows once nothing needs them: no data left, no open request,
 * no suppression duty (an erased subject's row keeps its later events dropped).
 */
export const PRUNE_TARGETS: Readonly<Record<PrunableClass, PruneTarget>> = {
  rawEvents: { table: 'events', time: 'received_at', perSubject: true },
  sessions: { table: 'sessions', time: 'last_seen_at', perSubject: true, cached: 'sessions' },
  activity: { table: 'activity', time: 'bucket', perSubject: true, cached: 'marks' },
  aggregates: { table: 'aggregates', time: 'bucket', perSubject: false },
  rightsRequests: { table: 'rights_requests', time: 'completed_at', also: "state IN ('completed', 'refused')", perSubject: false },
  subjects: {
    table: 'subjects',
    time: 'coalesce(last_seen_at, consent_at, created_at)',
    also: `erased = FALSE
      AND NOT EXISTS (SELECT 1 FROM sessions x WHERE x.project_id = subjects.project_id AND x.pseudonym = subjects.pseudonym)
      AND NOT EXISTS (SELECT 1 FROM activity x WHERE x.project_id = subjects.project_id AND x.pseudonym = subjects.pseudonym)
      AND NOT EXISTS (SELECT 1 FROM rights_requests x WHERE x.project_id = subjects.project_id AND x.pseudonym = subjects.pseudonym AND x.completed_at IS NULL)`,
    perSubject: true,
  },
};

/** Which policy retention governs each class (subject rows live as long as the activity they describe). */
export const GOVERNED_BY = {
  rawEvents: 'rawEvents',
  sessions: 'activity',
  activity: 'activity',
  aggregates: 'aggregates',
  rightsRequests: 'rightsRequests',
  subjects: 'activity',
} as const satisfies Record<PrunableClass, string>;

/**
 * The subjects whose rows retention keeps whatever their age: restricted (kept, not used, until
 * lifted or erased) or under a legal hold that has not ended.
 */
export const protectedSubjects = ({ project, now }: PruneParams): string =>
  `SELECT pseudonym FROM subjects WHERE project_id = ${project} AND (restricted = TRUE OR (hold_ground IS NOT NULL AND (hold_until IS NULL OR hold_until > ${now})))`;

/**
 * The WHERE condition of a target for one project.
 *
 * @example pruneCondition(PRUNE_TARGETS.aggregates, { project: '$1', before: '$2', now: '$3' }) // 'project_id = $1 AND bucket < $2'
 */
export function pruneCondition(target: PruneTarget, params: PruneParams, extra?: string): string {
  return [
    `project_id = ${params.project}`,
    // Gone once its whole period has passed: at the cut-off itself, not a millisecond later.
    `${target.time} <= ${params.before}`,
    ...(target.also ? [target.also] : []),
    ...(target.perSubject ? [`pseudonym NOT IN (${protectedSubjects(params)})`] : []),
    ...(extra ? [extra] : []),
  ].join(' AND ');
}

/** Tokens of subject rows that retention removed: they open nothing any more. */
export const ORPHAN_TOKENS = (project: string) =>
  `DELETE FROM subject_tokens WHERE project_id = ${project}
   AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.project_id = subject_tokens.project_id AND s.pseudonym = subject_tokens.pseudonym)`;

/**
 * What a retention run's delete took out of the statistics caches' data, for the epoch bump in
 * its transaction; undefined when the class is not cached. `keys` are the deleted rows' keys
 * (for sessions, `SessionChange.key`).
 *
 * @example statsRemoval('activity', cut.before, keys) // { marksThrough: cut.before }
 */
export function statsRemoval(dataClass: PrunableClass, before: number, keys: readonly number[]): StatsRemoval | undefined {
  const cached = PRUNE_TARGETS[dataClass].cached;
  if (cached === 'sessions') return { sessionKeys: keys };
  if (cached === 'marks') return { marksThrough: before };
  return undefined;
}
