/**
 * The PostgreSQL store, for many stateless server processes on one database. Projects and keys
 * go through drizzle's query builder; the per-batch paths (`ingest-writer.ts`, `subjects.ts`)
 * use postgres.js statements over `unnest` arrays, one round trip per table per batch.
 * Migrations run before the first query; `ready()` lets the server fail at start if they cannot.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { KeyRow, LedgerEntry, ProjectRow, PrunableClass, Store } from '../store.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import { connectPostgres, type PostgresOptions } from './connection.js';
import { createIngestWriter } from './ingest-writer.js';
import { migratePostgres } from './migrate.js';
import { createStatsQueries } from './stats-queries.js';
import { apiKeys, projects } from './schema.js';
import * as schema from './schema.js';
import { createSubjectRepository } from './subjects.js';

const TABLES = ['projects', 'api_keys', 'subjects', 'consent_ledger', 'events', 'sessions', 'activity', 'aggregates', 'suppressions', 'rights_requests'] as const;
const LEDGER_PAGE = 1_000;
const PRUNE_TARGETS: Record<PrunableClass, [table: string, condition: string]> = {
  rawEvents: ['events', 'received_at < $1'],
  sessions: ['sessions', 'last_seen_at < $1'],
  activity: ['activity', 'bucket < $1'],
  aggregates: ['aggregates', 'bucket < $1'],
  rightsRequests: ['rights_requests', 'received_at < $1 AND completed_at IS NOT NULL'],
};

export interface PostgresStore extends Store {
  /** Resolves once migrations are applied; rejects with the reason the store cannot start. */
  ready(): Promise<void>;
}

/**
 * @example const store = createPostgresStore({ url: 'postgres://root@127.0.0.1:5432/heed', poolSize: 10 }); await store.ready();
 */
export function createPostgresStore(options: PostgresOptions): PostgresStore {
  const connection = connectPostgres(options);
  const { sql } = connection;
  const db = drizzle(sql, { schema });
  // The migrations' outcome, held as a value that never rejects: a failure waits for ready()
  // or the next call, each of which rethrows it, instead of surfacing in between as an
  // unhandled rejection; close() waits for the attempt either way.
  const migration: Promise<{ ok: true } | { ok: false; error: unknown }> = migratePostgres(options).then(
    () => ({ ok: true }),
    (error: unknown) => ({ ok: false, error }),
  );
  const migrated = async (): Promise<void> => {
    const outcome = await migration;
    if (!outcome.ok) throw outcome.error;
  };
  const writer = createIngestWriter(connection);
  const subjects = createSubjectRepository(connection);
  const afterMigrations = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await migrated();
    return fn(...args);
  };

  const stats = createStatsQueries(connection);

  return {
    dialect: 'postgres',
    ready: migrated,
    stats: createIndexedStats({
      hourlySums: afterMigrations(stats.hourlySums),
      rangeSums: afterMigrations(stats.rangeSums),
      sessions: { kind: 'query', durations: afterMigrations(stats.sessionDurations) },
      statsEpoch: afterMigrations(stats.statsEpoch),
      markCounts: afterMigrations(stats.markCounts),
      marks: afterMigrations(stats.marks),
    }),

    loadSubjects: afterMigrations(subjects.loadSubjects),
    findSubjectByToken: afterMigrations(subjects.findSubjectByToken),
    recordConsent: afterMigrations(subjects.recordConsent),
    changeFlags: afterMigrations(subjects.changeFlags),
    rectify: afterMigrations(subjects.rectify),
    erase: afterMigrations(subjects.erase),
    subjectData: afterMigrations(subjects.subjectData),
    logRightsRequest: afterMigrations(subjects.logRightsRequest),
    listRightsRequests: afterMigrations(subjects.listRightsRequests),
    completeRightsRequest: afterMigrations(subjects.completeRightsRequest),
    ingest: afterMigrations(writer.ingest),

    createProject: afterMigrations(async (project: ProjectRow) => {
      await db.insert(projects).values(project);
    }),

    listProjects: afterMigrations(async () => db.select().from(projects).orderBy(asc(projects.createdAt))),

    insertKey: afterMigrations(async (key: KeyRow & { hash: string }) => {
      await db.insert(apiKeys).values(key);
    }),

    findKey: afterMigrations(async (id: string) => {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      return row && row.revokedAt === null ? row : undefined;
    }),

    listKeys: afterMigrations(async (projectId: string) =>
      db
        .select({ id: apiKeys.id, projectId: apiKeys.projectId, kind: apiKeys.kind, label: apiKeys.label, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
        .from(apiKeys)
        .where(eq(apiKeys.projectId, projectId))
        .orderBy(asc(apiKeys.createdAt))),

    revokeKey: afterMigrations(async (id: string, at: number) => {
      const revoked = await db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
      return revoked.length > 0;
    }),

    async *ledgerEntries(projectId?: string): AsyncIterable<LedgerEntry> {
      await migrated();
      // Paged by seq, not loaded whole: five years of consent proof can be large.
      let after = 0;
      for (;;) {
        const page = await sql<Omit<LedgerEntry, 'detail'>[]>`
          SELECT seq, project_id AS "projectId", pseudonym, action, policy_version AS "policyVersion", detail AS "detailJson", at,
            prev_hash AS "prevHash", hash
          FROM consent_ledger WHERE seq > ${after} ${projectId === undefined ? sql`` : sql`AND project_id = ${projectId}`}
          ORDER BY seq LIMIT ${LEDGER_PAGE}`;
        for (const row of page) yield { ...row, detail: JSON.parse(row.detailJson) as Record<string, unknown> };
        if (page.length < LEDGER_PAGE) return;
        after = page[page.length - 1]!.seq;
      }
    },

    prune: afterMigrations(async (dataClass: PrunableClass, before: number, limit: number) => {
      const [table, condition] = PRUNE_TARGETS[dataClass];
      // Chunked by ctid: a retention run never holds row locks on a large range for long.
      return connection.writeTransaction(async (tx) => {
        const result = await tx.unsafe(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT $2)`, [before, limit]);
        // See projects.stats_epoch: the stats caches may hold the marks or sessions just removed.
        if ((dataClass === 'activity' || dataClass === 'sessions') && result.count > 0) await tx`UPDATE projects SET stats_epoch = stats_epoch + 1`;
        return result.count;
      });
    }),

    counts: afterMigrations(async () => {
      const rows = await sql<{ name: string; n: number }[]>`
        ${sql.unsafe(TABLES.map((table) => `SELECT '${table}' AS name, count(*) AS n FROM ${table}`).join(' UNION ALL '))}`;
      const result: Record<string, number> = {};
      for (const table of TABLES) result[table] = rows.find((row) => row.name === table)?.n ?? 0;
      return result;
    }),

    async close() {
      await migration;
      await sql.end({ timeout: 5 });
    },
  };
}
