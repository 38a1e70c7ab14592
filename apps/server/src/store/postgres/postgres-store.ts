/**
 * The PostgreSQL store, for many stateless server processes on one database. Projects and keys
 * go through drizzle's query builder; the per-batch paths (`ingest-writer.ts`, `subjects.ts`)
 * use postgres.js statements over `unnest` arrays, one round trip per table per batch.
 * Migrations run before the first query; `ready()` lets the server fail at start if they cannot.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createLogger } from '../../logger.js';
import { LEDGER_COLUMNS, parseLedgerRow, type LedgerRowText } from '../rules/ledger-columns.js';
import { TABLES } from '../rules/tables.js';
import type { IdentitySecretRow, KeyRow, LedgerEntry, LedgerHead, LedgerSeal, ProjectRow, PrunableClass, Store } from '../store.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import { scrubbedAfter } from '../rules/scrubbed-after.js';
import { connectPostgres, type PostgresOptions } from './connection.js';
import { createIngestWriter } from './ingest-writer.js';
import { createEventPartitions } from './partitions/event-partitions.js';
import { foldWriterSlots } from './writer-slots/fold-slots.js';
import { migratePostgres } from './migrate.js';
import { createStatsQueries } from './stats-queries.js';
import { postgresSnapshots } from './stats-snapshots.js';
import { apiKeys, identitySecrets, projects } from './schema.js';
import * as schema from './schema.js';
import { createPostgresPolicies } from './policies.js';
import { createPostgresRetention } from './retention.js';
import { createSubjectRepository } from './subjects.js';

const LEDGER_PAGE = 1_000;

/** Counters, not their writer slots' rows (schema.ts): the rows a SQLite store holds for the same data. */
const COUNTED: Partial<Record<(typeof TABLES)[number], string>> = {
  aggregates: '(SELECT DISTINCT project_id, purpose, grain, metric, bucket, dim FROM aggregates) AS counters',
  suppressions: '(SELECT DISTINCT project_id, day, reason FROM suppressions) AS counters',
};

const PROJECT_FIELDS = { id: projects.id, name: projects.name, createdAt: projects.createdAt, identityMode: projects.identityMode, policyHash: projects.policyHash };

export interface PostgresStoreOptions extends PostgresOptions {
  /** Seals consent-ledger entries with the ledger key (ledger/chain.ts). */
  readonly seal: LedgerSeal;
  /**
   * Ingest groups written at once, each on a pooled connection (`ingest-writer.ts`); half the
   * pool by default, leaving the rest to reads, consent and rights requests.
   */
  readonly ingestGroups?: number;
  /** Where problems of the background slot fold and of snapshots are reported; by default, logged as the server logs (as SQLite's checkpointer). */
  readonly onWarning?: (message: string) => void;
  /**
   * Keep snapshots of the statistics caches in the database (`stats_snapshots`), so a process
   * that starts restores what another one read (default true).
   */
  readonly statsSnapshots?: boolean;
}

export interface PostgresStore extends Store {
  /** Resolves once migrations are applied; rejects with the reason the store cannot start. */
  ready(): Promise<void>;
}

/**
 * @example const store = createPostgresStore({ url: 'postgres://root@127.0.0.1:5432/heed', poolSize: 10 }); await store.ready();
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const connection = connectPostgres(options);
  const { sql } = connection;
  const db = drizzle(sql, { schema });
  // The migrations' outcome, held as a value that never rejects: a failure waits for ready()
  // or the next call, each of which rethrows it, instead of surfacing in between as an
  // unhandled rejection; close() waits for the attempt either way.
  const warn = options.onWarning ?? createLogger({ level: 'warn' }).warn;
  const partitions = createEventPartitions(connection);
  let folding: Promise<void> = Promise.resolve();
  // Then the coming week's event partitions (retention runs create them ahead too).
  const migration: Promise<{ ok: true } | { ok: false; error: unknown }> = migratePostgres(options).then(() => partitions.ensureAhead(Date.now())).then(() => {
    // And the writer slots of closed hours folded, in the background: it only makes reads
    // cheaper, and each retention run folds again (a failure here waits for that run).
    folding = foldWriterSlots(connection, Date.now()).catch((error: unknown) => warn(`folding writer slots at start failed (the next retention run folds them): ${String(error)}`));
  }).then(
    () => ({ ok: true }),
    (error: unknown) => ({ ok: false, error }),
  );
  const migrated = async (): Promise<void> => {
    const outcome = await migration;
    if (!outcome.ok) throw outcome.error;
  };
  const writer = createIngestWriter(connection, {
    inFlight: options.ingestGroups ?? Math.max(1, Math.ceil((options.poolSize ?? 10) / 2)),
    ensurePartitions: partitions.ensure,
  });
  const subjects = createSubjectRepository(connection, options.seal);
  const retention = createPostgresRetention(connection, options.seal, partitions);
  const policies = createPostgresPolicies(connection);
  const afterMigrations = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    await migrated();
    return fn(...args);
  };

  const reads = createStatsQueries(connection);
  const stats = createIndexedStats(
    {
      hourlySums: afterMigrations(reads.hourlySums),
      rangeSums: afterMigrations(reads.rangeSums),
      sessions: {
        kind: 'feed',
        changedAfter: afterMigrations(reads.sessions.changedAfter),
        eligibilityVersion: afterMigrations(reads.sessions.eligibilityVersion),
        eligibleSubjects: afterMigrations(reads.sessions.eligibleSubjects),
        eligibilityChanges: afterMigrations(reads.sessions.eligibilityChanges),
      },
      statsEpoch: afterMigrations(reads.statsEpoch),
      removals: afterMigrations(reads.removals),
      markCounts: afterMigrations(reads.markCounts),
      marks: afterMigrations(reads.marks),
    },
    options.statsSnapshots === false
      ? {}
      : { snapshots: { store: postgresSnapshots(connection), feedHead: afterMigrations(reads.feedHead), onWarning: warn } },
  );

  return {
    dialect: 'postgres',
    ready: migrated,
    stats,

    loadSubjects: afterMigrations(subjects.loadSubjects),
    findSubjectByToken: afterMigrations(subjects.findSubjectByToken),
    recordConsent: afterMigrations(subjects.recordConsent),
    issueToken: afterMigrations(subjects.issueToken),
    revokeTokens: afterMigrations(subjects.revokeTokens),
    appendLedger: afterMigrations(subjects.appendLedger),
    sealLegacyLedger: afterMigrations(subjects.sealLegacyLedger),
    changeFlags: afterMigrations(subjects.changeFlags),
    rectify: afterMigrations(subjects.rectify),
    erase: scrubbedAfter(afterMigrations(subjects.erase), (projectId) => stats.removed(projectId)),
    // Dead rows cannot be overwritten here (docs/operations.md): only the snapshot is rewritten.
    scrubDeleted: (projectId) => stats.removed(projectId),
    subjectData: afterMigrations(subjects.subjectData),
    logRightsRequest: afterMigrations(subjects.logRightsRequest),
    listRightsRequests: afterMigrations(subjects.listRightsRequests),
    changeRightsRequest: afterMigrations(subjects.changeRightsRequest),
    setLegalHold: afterMigrations(subjects.setLegalHold),
    prune: afterMigrations(retention.prune),
    pruneLedger: afterMigrations(retention.pruneLedger),
    ledgerCheckpoints: afterMigrations(retention.ledgerCheckpoints),
    archivePolicy: afterMigrations(policies.archivePolicy),
    findPolicy: afterMigrations(policies.findPolicy),
    policyVersions: afterMigrations(policies.policyVersions),
    setProjectPolicy: afterMigrations(policies.setProjectPolicy),
    ingest: afterMigrations(writer.ingest),

    createProject: afterMigrations(async (project: Omit<ProjectRow, 'policyHash'>) => {
      await db.insert(projects).values(project);
    }),

    listProjects: afterMigrations(async () => db.select(PROJECT_FIELDS).from(projects).orderBy(asc(projects.createdAt))),
    findProject: afterMigrations(async (id: string) => (await db.select(PROJECT_FIELDS).from(projects).where(eq(projects.id, id)))[0]),
    setIdentityMode: afterMigrations(async (projectId: string, mode: ProjectRow['identityMode']) =>
      (await db.update(projects).set({ identityMode: mode }).where(eq(projects.id, projectId)).returning({ id: projects.id })).length > 0),
    insertIdentitySecret: afterMigrations(async (row: IdentitySecretRow) => {
      await db.insert(identitySecrets).values(row);
    }),
    findIdentitySecret: afterMigrations(async (id: string) => (await db.select().from(identitySecrets).where(eq(identitySecrets.id, id)))[0]),
    listIdentitySecrets: afterMigrations(async (projectId: string) =>
      db.select().from(identitySecrets).where(eq(identitySecrets.projectId, projectId)).orderBy(asc(identitySecrets.createdAt))),
    expireIdentitySecrets: afterMigrations(async (projectId: string, exceptId: string, expiresAt: number) =>
      (await sql`UPDATE identity_secrets SET expires_at = ${expiresAt}
        WHERE project_id = ${projectId} AND id != ${exceptId} AND (expires_at IS NULL OR expires_at > ${expiresAt})`).count),

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
        const page = await sql<LedgerRowText[]>`
          SELECT ${sql.unsafe(LEDGER_COLUMNS)}
          FROM consent_ledger WHERE seq > ${after} ${projectId === undefined ? sql`` : sql`AND project_id = ${projectId}`}
          ORDER BY seq LIMIT ${LEDGER_PAGE}`;
        for (const row of page) yield parseLedgerRow(row);
        if (page.length < LEDGER_PAGE) return;
        after = page[page.length - 1]!.seq;
      }
    },

    dailyCounters: afterMigrations(async (projectId: string, prefix: string, sinceDay: number) =>
      [...(await sql<{ day: number; reason: string; count: number }[]>`
        SELECT day, reason, sum(count)::bigint AS count FROM suppressions
        WHERE project_id = ${projectId} AND left(reason, ${prefix.length}) = ${prefix} AND day >= ${sinceDay}
        GROUP BY day, reason ORDER BY day, reason COLLATE "C"`)]),
    ledgerHeads: afterMigrations(async () =>
      [...(await sql<LedgerHead[]>`SELECT project_id AS "projectId", seq, hash FROM ledger_heads WHERE seq > 0 ORDER BY project_id COLLATE "C"`)]),
    counts: afterMigrations(async () => {
      const rows = await sql<{ name: string; n: number }[]>`
        ${sql.unsafe(TABLES.map((table) => `SELECT '${table}' AS name, count(*) AS n FROM ${COUNTED[table] ?? table}`).join(' UNION ALL '))}`;
      const result: Record<string, number> = {};
      for (const table of TABLES) result[table] = rows.find((row) => row.name === table)?.n ?? 0;
      return result;
    }),

    async close() {
      await migration;
      await folding;
      // Before the pool closes: the snapshots of caches that changed are written.
      await stats.close();
      await sql.end({ timeout: 5 });
    },
  };
}
