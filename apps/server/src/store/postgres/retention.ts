/**
 * Retention on PostgreSQL: raw events by whole day partitions where nothing in them must stay
 * (`partitions/`), then chunked deletes per project (by row address: a run never holds row
 * locks on a large range for long) over the targets of `../rules/tables.ts`, and the ledger's
 * pruning rule run in one transaction.
 */
import { pruneLedger } from '../rules/prune-ledger.js';
import { runAsync } from '../rules/script.js';
import { ORPHAN_TOKENS, PRUNE_TARGETS, pruneCondition, statsRemoval } from '../rules/tables.js';
import type { LedgerCheckpoint, LedgerSeal, Store } from '../store.js';
import type { PostgresConnection } from './connection.js';
import type { EventPartitions } from './partitions/event-partitions.js';
import { bumpStatsEpoch } from './bump-stats-epoch.js';
import { createPostgresSubjectPort } from './subject-port.js';
import { foldWriterSlots } from './writer-slots/fold-slots.js';

/** $3 is the chunk size; `now` ($4) is passed only to statements that use it (PostgreSQL types every parameter it is given). */
const PARAMS = { project: '$1', before: '$2', now: '$4' };
const NO_EVENTS = 'NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = subjects.project_id AND e.pseudonym = subjects.pseudonym)';

export function createPostgresRetention(connection: PostgresConnection, seal: LedgerSeal, partitions: EventPartitions): Pick<Store, 'prune' | 'pruneLedger' | 'ledgerCheckpoints'> {
  const { sql } = connection;
  return {
    async prune(dataClass, cut) {
      // Each run also folds the writer slots of closed hours and days (reads sum fewer rows).
      if (dataClass === 'aggregates') await foldWriterSlots(connection, cut.now, cut.projectId);
      if (dataClass === 'rawEvents') {
        // Each run creates the coming week's partitions, then drops whole days where it may.
        await partitions.ensureAhead(cut.now);
        const dropped = await partitions.dropExpired(cut);
        if (dropped > 0) return dropped;
      }
      const target = PRUNE_TARGETS[dataClass];
      const where = pruneCondition(target, PARAMS, dataClass === 'subjects' ? NO_EVENTS : undefined);
      const values = [cut.projectId, cut.before, cut.limit, ...(where.includes('$4') ? [cut.now] : [])];
      return connection.writeTransaction(async (tx) => {
        // (tableoid, ctid): a ctid is unique only within one table, and events is partitioned.
        // The deleted sessions' keys: what the statistics caches must take out.
        const returning = target.cached === 'sessions' ? ' RETURNING row_key AS key' : '';
        const result = await tx.unsafe<{ key: number }[]>(
          `DELETE FROM ${target.table} WHERE (tableoid, ctid) IN (SELECT tableoid, ctid FROM ${target.table} WHERE ${where} LIMIT $3)${returning}`, values);
        if (result.count > 0) {
          if (dataClass === 'subjects') await tx.unsafe(ORPHAN_TOKENS('$1'), [cut.projectId]);
          // See projects.stats_epoch: the stats caches may hold the marks or sessions just removed.
          const removal = statsRemoval(dataClass, cut.before, result.map((row) => Number(row.key)));
          if (removal) await bumpStatsEpoch(tx, cut.projectId, removal);
          // Folded counters (slot 0) may be among the rows removed: processes keeping them read them again (folded-counters/).
          if (dataClass === 'aggregates') await tx`UPDATE projects SET counters_epoch = counters_epoch + 1 WHERE id = ${cut.projectId}`;
        }
        return result.count;
      });
    },
    pruneLedger: (projectId, cut) => connection.writeTransaction((tx) => runAsync(pruneLedger(projectId, cut, seal), createPostgresSubjectPort(tx))),
    ledgerCheckpoints: async () => [...(await sql<LedgerCheckpoint[]>`
      SELECT project_id AS "projectId", seq, hash, pruned, at, key_id AS "keyId", seal FROM ledger_checkpoints ORDER BY project_id COLLATE "C"`)],
  };
}
