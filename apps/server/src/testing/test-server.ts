/**
 * A real server for tests: a temporary data directory with a real SQLite file (or, with
 * `store: 'postgres'`, a throwaway PostgreSQL database), an ephemeral port, a manual clock,
 * captured logs and a fresh project. Shipped as `@heed/server/testing`
 * so the cross-package suites in test/ use the same harness.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { manualClock } from '../clock.js';
import { loadConfig } from '../config.js';
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
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * One statement with `?` placeholders on a new connection (sees committed data), for
   * assertions on either store: numbers as numbers, booleans as 0/1. Read-only on SQLite.
   */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
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
    HEED_DATA_DIR: dataDir, HEED_PORT: '0', HEED_LOG_LEVEL: 'debug',
    ...(kind === 'postgres' ? { HEED_DATABASE_URL: databaseUrl, HEED_PG_POOL_SIZE: '4' } : {}),
    ...options.env,
  });
  const server = await startServer(config, { clock, logger });
  const project = options.project ?? (await createProject(server.services.store, { name: 'Test', now: clock.now() }));
  const dbPath = config.database.kind === 'sqlite' ? config.database.path : '';
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
    subjectFor: (userId) => createHash('sha256').update(`heed:v1:${project.projectId}:${userId}`).digest('base64url'),
    post: (path, body, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async query<T>(sql: string, ...params: unknown[]) {
      if (kind === 'postgres') return queryPostgres<T>(databaseUrl, sql, params);
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async close() {
      await server.close();
      await database?.drop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
