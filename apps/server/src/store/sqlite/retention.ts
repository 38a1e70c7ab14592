/**
 * Retention on SQLite: chunked deletes per project (rowid IN ... LIMIT: a run never holds the
 * write lock for long) over the targets of `../rules/tables.ts`, and the ledger's pruning rule
 * run in one transaction. No index on received_at (one B-tree less per ingested event): seqs
 * follow arrival, so the oldest events come first in seq order and each chunk stops early.
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

export function createSqliteRetention(connection: SqliteConnection, seal: LedgerSeal): Pick<Store, 'prune' | 'pruneLedger' | 'ledgerCheckpoints'> {
  const { client } = connection;
  const port = createSqliteSubjectPort(connection);
  const statements = Object.fromEntries(
    Object.entries(PRUNE_TARGETS).map(([dataClass, target]) => {
      const order = target.table === 'events' ? ' ORDER BY seq' : '';
      const where = pruneCondition(target, PARAMS, dataClass === 'subjects' ? NO_EVENTS : undefined);
      // The deleted rows' rowids: for sessions, what the statistics caches must take out.
      return [dataClass, client.prepare(`DELETE FROM ${target.table} WHERE rowid IN (SELECT rowid FROM ${target.table} WHERE ${where}${order} LIMIT @limit) RETURNING rowid AS key`)];
    }),
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
