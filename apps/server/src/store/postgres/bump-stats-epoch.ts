/**
 * Raises a project's `stats_epoch` and logs the step (`../rules/stats-removal-log.ts`) in one
 * statement on the caller's transaction: every process's statistics caches then apply the
 * step instead of filling again. The projects row stays locked until commit, so steps are
 * logged in epoch order with no gap.
 */
import { loggedRemoval, logRemoval, pruneRemovalLog } from '../rules/stats-removal-log.js';
import type { StatsRemoval } from '../stats-store.js';
import type { Tx } from './connection.js';

/** PostgreSQL's clock in epoch milliseconds, for the log's age limit. */
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

const BUMP = `
  WITH bumped AS (UPDATE projects SET stats_epoch = stats_epoch + 1 WHERE id = $1 RETURNING stats_epoch AS epoch),
  logged AS (${logRemoval({ project: '$1', epoch: 'epoch', now: NOW_MS }, { ledgerSeq: '$2::bigint', removal: '$3' }, 'bumped')})
  ${pruneRemovalLog({ project: '$1', epoch: '(SELECT epoch FROM bumped)', now: NOW_MS })}`;

/** `ledgerSeq`: the ledger entry of the change, for a step of one subject (see `SubjectPort.bumpStatsEpoch`). */
export async function bumpStatsEpoch(tx: Tx, projectId: string, removal: StatsRemoval, ledgerSeq?: number): Promise<void> {
  const row = loggedRemoval(removal, ledgerSeq);
  await tx.unsafe(BUMP, [projectId, row.ledgerSeq, row.removal]);
}
