/**
 * Retention on SQLite: chunked deletes per project (rowid IN ... LIMIT: a run never holds the
 * write lock for long) over the targets of `../rules/tables.ts`, and the ledger's pruning rule
 * run in one transaction. Rows arrive as time passes, so a table's oldest rows come first in
 * its stored (rowid) order: a chunk reads the table in that order from where the run's last
 * chunk of the class ended, and stops at its limit. No index on arrival or last activity
 * (one B-tree less per ingested event).
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
 * One chunk's delete of a data class, reading the table in stored order after rowid `@after`;
 * answers the deleted rows' rowids (for sessions, what the statistics caches must take out).
 * NOT INDEXED: given the project's equality, the planner took the project's index instead,
 * where old and new rows mix, so each chunk read past every row it had kept before (raw events:
 * all of the project's, sorted, 0.7 s a chunk at 1.4 million events; sessions and activity
 * marks: a chunk's read grew with each one, from 46 to 310 ms and from 54 to 171 ms at 10,000
 * subjects).
 *
 * @example client.prepare(pruneStatement('rawEvents')).all({ project, before, now, limit: 5_000, after: 0 })
 */
export function pruneStatement(dataClass: PrunableClass): string {
  const target = PRUNE_TARGETS[dataClass];
  const where = pruneCondition(target, PARAMS, dataClass === 'subjects' ? NO_EVENTS : undefined);
  return `DELETE FROM ${target.table} WHERE rowid IN (SELECT rowid FROM ${target.table} NOT INDEXED WHERE rowid > @after AND ${where} ORDER BY rowid LIMIT @limit) RETURNING rowid AS key`;
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

  /**
   * Where a class's last chunk ended, per project and cut: the job asks chunk after chunk until
   * one comes back short, and the rows before it were deleted or stay under this cut (newer,
   * or a restricted or held subject's), so the next chunk reads on from there.
   */
  const cursors = new Map<string, number>();

  return {
    async prune(dataClass, cut) {
      const cursor = `${dataClass}\u0000${cut.projectId}\u0000${cut.before}`;
      const keys = connection.writeTransaction(() => {
        const deleted = statements[dataClass]
          .all({ project: cut.projectId, before: cut.before, now: cut.now, limit: cut.limit, after: cursors.get(cursor) ?? 0 })
          .map((row) => row.key);
        if (deleted.length > 0) {
          if (dataClass === 'rawEvents') pruneRuns.run();
          if (dataClass === 'subjects') orphanTokens.run(cut.projectId);
          // See projects.stats_epoch: the stats caches may hold the marks or sessions just removed.
          const removal = statsRemoval(dataClass, cut.before, deleted);
          if (removal) port.bumpStatsEpoch(cut.projectId, removal);
        }
        return deleted;
      });
      // Moved only once the chunk committed: a chunk rolled back is read again.
      if (keys.length < cut.limit) cursors.delete(cursor);
      else cursors.set(cursor, Math.max(...keys));
      return keys.length;
    },
    pruneLedger: async (projectId, cut) => connection.writeTransaction(() => runSync(pruneLedger(projectId, cut, seal), port)),
    ledgerCheckpoints: async () => checkpoints.all() as LedgerCheckpoint[],
  };
}
