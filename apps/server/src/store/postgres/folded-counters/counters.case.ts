/**
 * What the folded-counter tests share: a migrated database with one project, a store (for
 * retention) and a connection (for the reads under test), made afresh for each test, and the
 * upsert that puts a value into one counter's slot.
 */
import { afterEach, beforeEach } from 'vitest';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../../testing/test-databases.js';
import { testLedgerKeys } from '../../../testing/test-keys.js';
import { connectPostgres, type PostgresConnection } from '../connection.js';
import { createPostgresStore, type PostgresStore } from '../postgres-store.js';

export interface CounterDatabase {
  readonly store: PostgresStore;
  readonly connection: PostgresConnection;
  q<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Adds `value` to one counter in one writer slot (0: the folded one). */
  add(counter: { purpose: string; grain: 'hour' | 'day'; metric: string; bucket: number; dim: string; slot: number; value: number }): Promise<unknown>;
}

/** Registers the per-test setup and teardown; call the result inside a test. */
export function counterDatabase(projectId: string, name: string, now: number): () => CounterDatabase {
  let database: TestDatabase;
  let current: CounterDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
    const store = createPostgresStore({ url: database.url, poolSize: 4, seal: testLedgerKeys() });
    await store.ready();
    await store.createProject({ id: projectId, name, createdAt: now, identityMode: 'enforce' });
    const connection = connectPostgres({ url: database.url, poolSize: 4 });
    const q = <T>(text: string, params: unknown[] = []) => queryPostgres<T>(database.url, text, params);
    current = {
      store, connection, q,
      add: (c) =>
        q(`INSERT INTO aggregates (project_id, purpose, grain, metric, bucket, dim, slot, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (project_id, purpose, grain, metric, bucket, dim, slot) DO UPDATE SET value = aggregates.value + excluded.value`,
          [projectId, c.purpose, c.grain, c.metric, c.bucket, c.dim, c.slot, c.value]),
    };
  });
  afterEach(async () => {
    await current.connection.sql.end({ timeout: 5 });
    await current.store.close();
    await database.drop();
  });
  return () => current;
}
