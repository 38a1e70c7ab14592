/**
 * The removal log (`stats_removals`), written once for both stores: every step that raises a
 * project's `stats_epoch` is logged in the same transaction, so the statistics caches of any
 * process (another `heed serve` on the same PostgreSQL, a restart from a snapshot, a second
 * connection on the SQLite file) apply the steps instead of reading weeks of marks again. At
 * 100,000 subjects a fill from nothing is 14 million marks and seconds per route; a step is a
 * subject or a retention cut.
 *
 * A step of one subject holds no pseudonym: it names the consent-ledger entry of the change
 * (the proof kept anyway, also after erasure), so erasure leaves the pseudonym nowhere new.
 *
 * The log is short-lived by design: each step deletes the project's steps past the newest
 * `REMOVALS_KEPT` and those older than `REMOVAL_LOG_MAX_AGE_MS`. A cache further behind than
 * that fills again, which is always correct, only slower.
 */
import { DAY_MS } from '../../aggregates/time-units.js';
import type { StatsRemoval } from '../stats-store.js';

/** Steps kept per project: a cache more steps behind fills again. */
export const REMOVALS_KEPT = 1_024;
/** Steps older than this go whatever their number (a process stopped longer fills again). */
export const REMOVAL_LOG_MAX_AGE_MS = 7 * DAY_MS;

/** The placeholders (or expressions) of a dialect's statements. */
export interface RemovalLogParams {
  readonly project: string;
  /** The epoch the step raised the project to. */
  readonly epoch: string;
  /** Epoch milliseconds by the database's clock: the age limit compares times written by it. */
  readonly now: string;
}

/**
 * Logs a step; the values come from `loggedRemoval`, `from` is where the epoch is read (no
 * row there: nothing is logged).
 *
 * @example logRemoval({ project: '$1', epoch: 'epoch', now: NOW }, { ledgerSeq: '$2', removal: '$3' }, 'bumped')
 */
export const logRemoval = ({ project, epoch, now }: RemovalLogParams, row: { ledgerSeq: string; removal: string }, from?: string): string =>
  `INSERT INTO stats_removals (project_id, epoch, ledger_seq, removal, at) SELECT ${project}, ${epoch}, ${row.ledgerSeq}, ${row.removal}, ${now}${from ? ` FROM ${from}` : ''}`;

/**
 * Deletes the project's steps that are no longer kept; run after logging a step, in its
 * transaction (the step itself is never among them).
 *
 * @example pruneRemovalLog({ project: '?', epoch: '?', now: NOW })
 */
export const pruneRemovalLog = ({ project, epoch, now }: RemovalLogParams): string =>
  `DELETE FROM stats_removals WHERE project_id = ${project} AND (epoch <= ${epoch} - ${REMOVALS_KEPT} OR at < ${now} - ${REMOVAL_LOG_MAX_AGE_MS})`;

/**
 * The project's steps of epochs in `(after, upTo]`, each with the pseudonym of the ledger
 * entry it names (null when that entry is gone: pruned behind a checkpoint).
 */
export const readRemovals = ({ project, after, upTo }: { project: string; after: string; upTo: string }): string =>
  `SELECT r.epoch AS epoch, r.ledger_seq AS "ledgerSeq", r.removal AS removal, l.pseudonym AS subject
   FROM stats_removals r LEFT JOIN consent_ledger l ON l.seq = r.ledger_seq AND l.project_id = r.project_id
   WHERE r.project_id = ${project} AND r.epoch > ${after} AND r.epoch <= ${upTo} ORDER BY r.epoch`;

/** A logged step as `readRemovals` returns it. */
export interface RemovalRow {
  readonly epoch: number;
  readonly ledgerSeq: number | null;
  readonly removal: string;
  readonly subject: string | null;
}

/**
 * The logged form of a step: what it took out without the subject, who is named by the
 * ledger entry that proves the change (appended in the same transaction).
 *
 * @example loggedRemoval({ subject: 'p', purposes: ['statistics'] }, 7) // { ledgerSeq: 7, removal: '{"purposes":["statistics"]}' }
 */
export function loggedRemoval(removal: StatsRemoval, ledgerSeq: number | undefined): { ledgerSeq: number | null; removal: string } {
  const { subject, ...rest } = removal;
  if (subject !== undefined && ledgerSeq === undefined) throw new Error('a step of one subject names the ledger entry of its change');
  return { ledgerSeq: subject === undefined ? null : ledgerSeq!, removal: JSON.stringify(rest) };
}

/**
 * The steps from `after` to `upTo` in order, from `readRemovals`' rows; undefined when one is
 * missing (pruned, or made before the log existed) or names a ledger entry that is gone.
 *
 * @example stepsBetween([{ epoch: 4, ledgerSeq: 9, removal: '{}', subject: 'p' }], 3, 4) // [{ subject: 'p' }]
 */
export function stepsBetween(rows: readonly RemovalRow[], after: number, upTo: number): StatsRemoval[] | undefined {
  if (upTo < after || rows.length !== upTo - after) return undefined;
  const steps: StatsRemoval[] = [];
  for (const [index, row] of rows.entries()) {
    if (Number(row.epoch) !== after + 1 + index) return undefined;
    if (row.ledgerSeq !== null && row.subject === null) return undefined;
    const removal = JSON.parse(row.removal) as StatsRemoval;
    steps.push(row.subject === null ? removal : { subject: row.subject, ...removal });
  }
  return steps;
}
