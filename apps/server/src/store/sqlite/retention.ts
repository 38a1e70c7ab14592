/**
 * Retention on SQLite: chunked deletes per project (rowid IN ... LIMIT: a run never holds the
 * write lock for long) over the targets of `../rules/tables.ts`, and the ledger's pruning rule
 * run in one transaction. No index on received_at (one B-tree less per ingested event): seqs
 * follow arrival, so the oldest events come first in seq order and each chunk stops early;
 * only the last chunk of a run reads on to the table's end.
 */
import { runSync } from '../rules/script.js';
import { pruneLedger } from '../rules/prune-ledger.js';
import { ORPHAN_TOKENS, PRUNE_TARGETS, pruneCondition, statsRemoval } from '../rules/tables.js';
import type { LedgerCheckpoint, LedgerSeal, PrunableClass, Store } from '../store.js';
import type { SqliteConnection } from './connection.js';
import { createSqliteSubjectPort } from './subject-port.js';

const PARAMS = { project: '@project', before: '@before', now: '@now' };
/** A subject's events are found through its runs (schema.ts), which leave with the events. */
const NO_EVENTS = 'NOT EXISTS (SELECT 1 FROM subject_runs r WHERE r.project_id = subjects.project_id AND r.pseudonym = subjects.pseudonym)';

/**
 * One chunk's delete of a data class; answers the deleted rows' rowids (for sessions, what the
 * statistics caches must take out).
 *
 * @example client.prepare(pruneStatement('rawEvents')).all({ project, before, now, limit: 5_000 })
 */
export function pruneStatement(dataClass: PrunableClass): string {
  const target = PRUNE_TARGETS[dataClass];
  // Events in seq order, read as the table is stored (NOT INDEXED): given the project's
  // equality, the planner took events_key instead and sorted all of the project's events for
  // every chunk, 0.7 s a chunk at 1.4 million events, where the table order stops at the limit.
  const source = target.table === 'events' ? 'events NOT INDEXED' : target.table;
  const order = target.table === 'events' ? ' ORDER BY seq' : '';
  const where = pruneCondition(target, PARAMS, dataClass === 'subjects' ? NO_EVENTS : undefined);
  return `DELETE FROM ${target.table} WHERE rowid IN (SELECT rowid FROM ${source} WHERE ${where}${order} LIMIT @limit) RETURNING rowid AS key`;
}

export function createSqliteRetention(connection: SqliteConnection, seal: LedgerSeal): Pick<Store, 'prune' | 'pruneLedger' | 'ledgerCheckpoints'> {
  const { client } = connection;
  const port = createSqliteSubjectPort(connection);
  const statements = Object.fromEntries(
    (Object.keys(PRUNE_TARGETS) as PrunableClass[]).map((dataClass) => [dataClass, client.prepare(pruneStatement(dataClass))]),
  ) as unknown as Record<PrunableClass, { all(params: Record<string, number | string>): { key: number }[] }>;
  const orphanTokens = client.prepare(ORPHAN_TOKENS('?'));
  // Runs that end before the oldest event left point at nothing any more (events go in seq
  // order; erasure takes its subject's runs itself).
  const pruneRuns = client.prepare('DELETE FROM subject_runs WHERE last_seq < coalesce((SELECT min(seq) FROM events), 9223372036854775807)');
  const checkpoints = client.prepare(
    'SELECT project_id AS projectId, seq, hash, pruned, at, key_id AS keyId, seal FROM ledger_checkpoints ORDER BY project_id',
  );

  return {
    async prune(dataClass, cut) {
      return connection.writeTransaction(() => {
        const keys = statements[dataClass].all({ project: cut.projectId, before: cut.before, now: cut.now, limit: cut.limit }).map((row) => row.key);
        if (keys.length > 0) {
          if (dataClass === 'rawEvents') pruneRuns.run();
          if (dataClass === 'subjects') orphanTokens.run(cut.projectId);
          // See projects.stats_epoch: the stats caches may hold the marks or sessions just removed.
          const removal = statsRemoval(dataClass, cut.before, keys);
          if (removal) port.bumpStatsEpoch(cut.projectId, removal);
        }
        return keys.length;
      });
    },
    pruneLedger: async (projectId, cut) => connection.writeTransaction(() => runSync(pruneLedger(projectId, cut, seal), port)),
    ledgerCheckpoints: async () => checkpoints.all() as LedgerCheckpoint[],
  };
}
