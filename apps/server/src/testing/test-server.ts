/**
 * A real server for tests: a temporary data directory with a real SQLite file (or, with
 * `store: 'postgres'`, a throwaway PostgreSQL database), an ephemeral port, a manual clock,
 * captured logs and a fresh project (which enforces identity verification, as every new
 * project does). Shipped as `@heed/server/testing` so the cross-package suites in test/ use
 * the same harness.
 *
 * `post` acts as a correctly integrated platform would: it adds to consent decisions and
 * batches the identity assertion the platform's backend would sign for each subject (with the
 * real signer and the project's identity secret), unless the body carries proofs already.
 * `postUnsigned` sends exactly what it is given, for tests that play the attacker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { manualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { signSubjectHash } from '@heed/sdk/node';
import { identifiedHash } from '../crypto/client-hash.js';
import { createLogger } from '../logger.js';
import { createProject, type CreatedProject } from '../projects/projects.js';
import { startServer, type RunningServer } from '../server.js';
import { createTestDatabase, queryPostgres, type TestDatabase, type TestStoreKind } from './test-databases.js';

/** 2026-11-24 10:00 UTC: a Tuesday, so hour and weekday buckets are easy to read. */
export const TEST_START = Date.UTC(2026, 10, 24, 10, 0, 0);

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  /** The SQLite file ('' on PostgreSQL). */
  readonly dbPath: string;
  readonly store: TestStoreKind;
  /** The PostgreSQL database URL ('' on SQLite). */
  readonly databaseUrl: string;
  readonly project: CreatedProject;
  readonly clock: ReturnType<typeof manualClock>;
  readonly logs: string[];
  readonly server: RunningServer;
  /** The SDK's client hash for a platform user id in this project. */
  subjectFor(userId: string): string;
  /** The identity assertion the platform's backend would sign for this user now (24 hours). */
  identityFor(userId: string): string;
  /** POSTs JSON; consent decisions and batches get the signed identity of their subjects. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POSTs exactly this body: no identity is added. */
  postUnsigned(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * One statement with `?` placeholders on a new connection (sees committed data), for
   * assertions on either store: numbers as numbers, booleans as 0/1. Read-only on SQLite.
   */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /**
   * Every row of every table, each table's rows as sorted JSON: two snapshots are equal
   * exactly when nothing in the database changed (what an attack test asserts).
   */
  snapshot(): Promise<Record<string, string[]>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly env?: Record<string, string>;
  /** Reuse a data directory (a restart); it is then not removed on close. */
  readonly dataDir?: string;
  /** Reuse a project created by an earlier server on the same data directory. */
  readonly project?: CreatedProject;
  readonly start?: number;
  /** The store to run on; SQLite by default. */
  readonly store?: TestStoreKind;
  /** Reuse a PostgreSQL database (a restart); it is then not dropped on close. */
  readonly databaseUrl?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'heed-test-'));
  const clock = manualClock(options.start ?? TEST_START);
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line), now: () => clock.now() });
  const kind: TestStoreKind = options.store ?? (options.databaseUrl === undefined ? 'sqlite' : 'postgres');
  const database: TestDatabase | undefined = kind === 'postgres' && options.databaseUrl === undefined ? await createTestDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? database?.url ?? '';
  const config = loadConfig({
    // The statistics keeper runs on a real timer beside the test's clock: on only where a test asks for it.
    HEED_DATA_DIR: dataDir, HEED_PORT: '0', HEED_LOG_LEVEL: 'debug', HEED_STATS_KEEP_INTERVAL_MS: '0',
    ...(kind === 'postgres' ? { HEED_DATABASE_URL: databaseUrl, HEED_PG_POOL_SIZE: '4' } : {}),
    ...options.env,
  });
  const server = await startServer(config, { clock, logger });
  const project = options.project ?? (await createProject(server.services.store, server.services.identityKeys, { name: 'Test', now: clock.now() }));
  const dbPath = config.database.kind === 'sqlite' ? config.database.path : '';
  const sign = (subject: string) => signSubjectHash({ secret: project.identitySecret, projectId: project.projectId, subject, now: clock.now() });
  const subjectFor = (userId: string) => identifiedHash(project.projectId, userId);
  const postUnsigned = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** Adds the proofs a correctly integrated platform sends. */
  function withIdentity(path: string, body: unknown): unknown {
    if (typeof body !== 'object' || body === null) return body;
    const fields = body as { subject?: unknown; identity?: unknown; anonymousId?: unknown; events?: unknown; proofs?: unknown };
    if (path === '/v1/consent' && typeof fields.subject === 'string' && fields.identity === undefined && fields.anonymousId === undefined) {
      return { ...fields, identity: sign(fields.subject) };
    }
    if (path === '/v1/batch' && Array.isArray(fields.events) && fields.proofs === undefined) {
      const subjects = new Set((fields.events as { subject?: unknown }[]).map((event) => event.subject).filter((s): s is string => typeof s === 'string'));
      if (subjects.size > 0) return { ...fields, proofs: Object.fromEntries([...subjects].map((subject) => [subject, { identity: sign(subject) }])) };
    }
    return body;
  }
  async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    if (kind === 'postgres') return queryPostgres<T>(databaseUrl, sql, params);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  return {
    url: server.url,
    dataDir,
    dbPath,
    store: kind,
    databaseUrl,
    project,
    clock,
    logs,
    server,
    subjectFor,
    identityFor: (userId) => sign(subjectFor(userId)),
    post: (path, body, headers = {}) => postUnsigned(path, withIdentity(path, body), headers),
    postUnsigned,
    query,
    async snapshot() {
      const tables = Object.keys(await server.services.store.counts());
      const dump: Record<string, string[]> = {};
      for (const table of tables) dump[table] = (await query(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort();
      return dump;
    },
    async close() {
      await server.close();
      await database?.drop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
