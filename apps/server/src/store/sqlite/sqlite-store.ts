/**
 * The embedded store: SQLite through better-sqlite3, schema and migrations from drizzle.
 * Projects, keys and the ledger go through drizzle's query builder; the per-event paths
 * (`ingest-writer.ts`, `subjects.ts`) use prepared statements on the same connection, because
 * drizzle's query building would cost more than the insert itself (bench/ measures it).
 */
import type { Database as SqliteClient } from 'better-sqlite3';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { TABLES } from '../rules/tables.js';
import type { IdentitySecretRow, KeyRow, LedgerEntry, LedgerHead, LedgerSeal, ProjectRow, PrunableClass, Store } from '../store.js';
import { backupSqlite } from './backup.js';
import { startCheckpointer } from './checkpointer.js';
import { connectSqlite } from './connection.js';
import { createIngestWriter } from './ingest-writer.js';
import type { SqliteOptions } from './open.js';
import { apiKeys, identitySecrets, projects } from './schema.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import { scrubbedAfter } from '../rules/scrubbed-after.js';
import { createStatsQueries } from './stats-queries.js';
import { moveSnapshotFolder } from './snapshot-folder.js';
import { sqliteSnapshots } from './stats-snapshots.js';
import { createSqlitePolicies } from './policies.js';
import { createSqliteRetention } from './retention.js';
import { createSubjectRepository } from './subjects.js';
import { createLogger } from '../../logger.js';

const PROJECT_FIELDS = { id: projects.id, name: projects.name, createdAt: projects.createdAt, identityMode: projects.identityMode, policyHash: projects.policyHash };

/** SQLite's own table beside the shared ones: where each subject's events are (schema.ts). */
const SQLITE_TABLES = [...TABLES, 'subject_runs'] as const;

export interface SqliteStoreOptions extends SqliteOptions {
  /** Seals consent-ledger entries with the ledger key (ledger/chain.ts). */
  readonly seal: LedgerSeal;
  /**
   * Keep snapshots of the statistics caches in the database (`stats_snapshots`), so that the
   * first statistics request after a restart reads only what changed. Default on.
   */
  readonly statsSnapshots?: boolean;
}

/**
 * @example const store = createSqliteStore({ path: './data/heed.db', seal: createLedgerKeys(ring) });
 */
export function createSqliteStore(options: SqliteStoreOptions): Store & { readonly client: SqliteClient } {
  const connection = connectSqlite(options);
  const warn = options.onWarning ?? createLogger({ level: 'warn' }).warn;
  const interval = options.checkpointIntervalMs ?? 1_000;
  const checkpointer =
    options.path !== ':memory:' && interval > 0
      ? startCheckpointer(options.path, interval, warn, options.truncateWithinMs)
      : undefined;
  const { client, db } = connection;
  const writer = createIngestWriter(connection);
  const reads = createStatsQueries(connection);
  // A database that ends with the process has no restart to keep caches for.
  const snapshots = options.path !== ':memory:' && options.statsSnapshots !== false;
  if (snapshots) moveSnapshotFolder(options.path, connection);
  const stats = createIndexedStats(reads, {
    ownWrites: reads,
    ...(snapshots ? { snapshots: { store: sqliteSnapshots(connection), feedHead: () => reads.feedHead(), onWarning: warn } } : {}),
  });
  const subjects = createSubjectRepository(connection, options.seal);

  /** The project's snapshot rewritten, then the WAL emptied: its frames older than a delete still hold the rows it zeroed (open.ts, secure_delete). */
  async function scrubDeleted(projectId: string): Promise<void> {
    await stats.removed(projectId);
    if (options.path === ':memory:') return;
    const emptied = checkpointer ? await checkpointer.truncate() : (client.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy === 0;
    if (!emptied) warn(`the WAL of ${options.path} could not be emptied (a reader kept it busy): copies of deleted rows stay in it until a later erasure or retention run empties it`);
  }

  return {
    dialect: 'sqlite',
    client,
    stats,
    ...subjects,
    erase: scrubbedAfter(subjects.erase, scrubDeleted),
    scrubDeleted,
    ...createSqliteRetention(connection, options.seal),
    ...createSqlitePolicies(connection),

    async createProject(project: Omit<ProjectRow, 'policyHash'>) {
      db.insert(projects).values(project).run();
    },

    async listProjects() {
      return db.select(PROJECT_FIELDS).from(projects).orderBy(asc(projects.createdAt)).all();
    },

    async findProject(id: string) {
      return db.select(PROJECT_FIELDS).from(projects).where(eq(projects.id, id)).get();
    },

    async setIdentityMode(projectId, mode) {
      return db.update(projects).set({ identityMode: mode }).where(eq(projects.id, projectId)).run().changes > 0;
    },

    async insertIdentitySecret(row: IdentitySecretRow) {
      db.insert(identitySecrets).values(row).run();
    },

    async findIdentitySecret(id: string) {
      return db.select().from(identitySecrets).where(eq(identitySecrets.id, id)).get();
    },

    async listIdentitySecrets(projectId: string) {
      return db.select().from(identitySecrets).where(eq(identitySecrets.projectId, projectId)).orderBy(asc(identitySecrets.createdAt)).all();
    },

    async expireIdentitySecrets(projectId, exceptId, expiresAt) {
      return client
        .prepare('UPDATE identity_secrets SET expires_at = ? WHERE project_id = ? AND id != ? AND (expires_at IS NULL OR expires_at > ?)')
        .run(expiresAt, projectId, exceptId, expiresAt).changes;
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
        .prepare(`SELECT ${LEDGER_COLUMNS} FROM consent_ledger ${projectId === undefined ? '' : 'WHERE project_id = ?'} ORDER BY seq`)
        .iterate(...(projectId === undefined ? [] : [projectId])) as IterableIterator<LedgerRowText>;
      for (const row of rows) yield parseLedgerRow(row);
    },
    async dailyCounters(projectId, prefix, sinceDay) {
      return client
        .prepare('SELECT day, reason, count FROM suppressions WHERE project_id = ? AND substr(reason, 1, ?) = ? AND day >= ? ORDER BY day, reason')
        .all(projectId, prefix.length, prefix, sinceDay) as { day: number; reason: string; count: number }[];
    },
    async ledgerHeads() {
      return client.prepare('SELECT project_id AS projectId, seq, hash FROM ledger_heads WHERE seq > 0 ORDER BY project_id').all() as LedgerHead[];
    },
    async counts() {
      const result: Record<string, number> = {};
      for (const table of SQLITE_TABLES) result[table] = (client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return result;
    },

    backup: (to) => backupSqlite(client, to),

    async close() {
      // Before the connection closes: a snapshot write reads nothing, but must finish first.
      await stats.close();
      await checkpointer?.stop();
      if (client.open) client.close();
    },
  };
}
