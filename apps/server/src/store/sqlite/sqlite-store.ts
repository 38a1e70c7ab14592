/**
 * The embedded store: SQLite through better-sqlite3, schema and migrations from drizzle.
 * Projects, keys and the ledger go through drizzle's query builder; the per-event paths
 * (`ingest-writer.ts`, `subjects.ts`) use prepared statements on the same connection, because
 * drizzle's query building would cost more than the insert itself (bench/ measures it).
 */
import type { Database as SqliteClient } from 'better-sqlite3';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { KeyRow, LedgerEntry, ProjectRow, PrunableClass, Store } from '../store.js';
import { startCheckpointer } from './checkpointer.js';
import { connectSqlite } from './connection.js';
import { createIngestWriter } from './ingest-writer.js';
import type { SqliteOptions } from './open.js';
import { apiKeys, projects } from './schema.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import { createStatsQueries } from './stats-queries.js';
import { createSubjectRepository } from './subjects.js';
import { createLogger } from '../../logger.js';

const TABLES = ['projects', 'api_keys', 'subjects', 'consent_ledger', 'events', 'subject_runs', 'sessions', 'activity', 'aggregates', 'suppressions', 'rights_requests'] as const;

/**
 * @example const store = createSqliteStore({ path: './data/heed.db' });
 */
export function createSqliteStore(options: SqliteOptions): Store & { readonly client: SqliteClient } {
  const connection = connectSqlite(options);
  const interval = options.checkpointIntervalMs ?? 1_000;
  const checkpointer =
    options.path !== ':memory:' && interval > 0
      ? startCheckpointer(options.path, interval, options.onWarning ?? createLogger({ level: 'warn' }).warn)
      : undefined;
  const { client, db } = connection;
  const writer = createIngestWriter(connection);
  // Chunked deletes (rowid IN ... LIMIT): a retention run never holds the write lock for long.
  const chunk = (table: string, condition: string) =>
    client.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${condition} LIMIT ?)`);
  const pruneStatements: Record<PrunableClass, { run(before: number, limit: number): { changes: number } }> = {
    // No index on received_at (one B-tree less per ingested event): seqs follow arrival,
    // so the oldest rows come first in seq order and each chunk stops early.
    rawEvents: chunk('events', 'received_at < ? ORDER BY seq'),
    sessions: chunk('sessions', 'last_seen_at < ?'),
    activity: chunk('activity', 'bucket < ?'),
    aggregates: chunk('aggregates', 'bucket < ?'),
    rightsRequests: chunk('rights_requests', 'received_at < ? AND completed_at IS NOT NULL'),
  };

  const pruneRuns = client.prepare('DELETE FROM subject_runs WHERE last_seq < coalesce((SELECT min(seq) FROM events), 9223372036854775807)');

  return {
    dialect: 'sqlite',
    client,
    stats: createIndexedStats(createStatsQueries(connection)),
    ...createSubjectRepository(connection),

    async createProject(project: ProjectRow) {
      db.insert(projects).values(project).run();
    },

    async listProjects() {
      return db.select().from(projects).orderBy(asc(projects.createdAt)).all();
    },

    async insertKey(key: KeyRow & { hash: string }) {
      db.insert(apiKeys).values(key).run();
    },

    async findKey(id: string) {
      const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
      return row && row.revokedAt === null ? row : undefined;
    },

    async listKeys(projectId: string) {
      return db
        .select({ id: apiKeys.id, projectId: apiKeys.projectId, kind: apiKeys.kind, label: apiKeys.label, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
        .from(apiKeys)
        .where(eq(apiKeys.projectId, projectId))
        .orderBy(asc(apiKeys.createdAt))
        .all();
    },

    async revokeKey(id: string, at: number) {
      return db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).run().changes > 0;
    },

    async ingest(write) {
      return writer.ingest(write);
    },

    async *ledgerEntries(projectId?: string): AsyncIterable<LedgerEntry> {
      // Iterated, not loaded: five years of consent proof can be large.
      const rows = client
        .prepare(
          `SELECT seq, project_id AS projectId, pseudonym, action, policy_version AS policyVersion, detail AS detailJson, at,
             prev_hash AS prevHash, hash FROM consent_ledger ${projectId === undefined ? '' : 'WHERE project_id = ?'} ORDER BY seq`,
        )
        .iterate(...(projectId === undefined ? [] : [projectId])) as IterableIterator<Omit<LedgerEntry, 'detail'>>;
      for (const row of rows) yield { ...row, detail: JSON.parse(row.detailJson) as Record<string, unknown> };
    },

    async prune(dataClass: PrunableClass, before: number, limit: number) {
      return connection.writeTransaction(() => {
        const removed = pruneStatements[dataClass].run(before, limit).changes;
        // Runs that end before the oldest event left point at nothing any more (events go in
        // seq order; erasure takes its subject's runs itself).
        if (dataClass === 'rawEvents' && removed > 0) pruneRuns.run();
        // See projects.stats_epoch: the stats caches may hold the marks or sessions just removed.
        if ((dataClass === 'activity' || dataClass === 'sessions') && removed > 0) client.prepare('UPDATE projects SET stats_epoch = stats_epoch + 1').run();
        return removed;
      });
    },

    async counts() {
      const result: Record<string, number> = {};
      for (const table of TABLES) result[table] = (client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return result;
    },

    async close() {
      await checkpointer?.stop();
      if (client.open) client.close();
    },
  };
}
