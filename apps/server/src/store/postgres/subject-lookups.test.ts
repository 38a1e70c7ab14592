/**
 * Ingest's subject statements (the per-batch lookup, the group's lock, the last-seen update)
 * find each subject by its key even on a `subjects` table PostgreSQL never analyzed (a new
 * database, or autovacuum off): without statistics, a constant project id looked selective,
 * and the lookup read every subject of the project to find one, on every batch.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { createPostgresStore } from './postgres-store.js';

const P = 'p_lookups';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
// The benchmark's count (bench/ingest-postgres.ts): at this size the plan read the whole project.
const SUBJECTS = 1_000;
let database: TestDatabase;

const q = <T>(text: string, params: unknown[] = []) => queryPostgres<T>(database.url, text, params);
/** Rows of `subjects` read by scans and through indexes so far, as the statistics system counts them. */
const rowsRead = async () =>
  (await q<{ n: number }>("SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_user_tables WHERE relname = 'subjects'"))[0]!.n;

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await database.drop();
});

it('reads only the subjects of a batch, not every subject of its project, on a table never analyzed', async () => {
  const store = createPostgresStore({ url: database.url, poolSize: 2, seal: testLedgerKeys() });
  try {
    await store.createProject({ id: P, name: 'Lookups', createdAt: T0, identityMode: 'enforce' });
    await q(`INSERT INTO subjects (project_id, pseudonym, key_id, created_at) SELECT ?, 's' || g, 'k1', ? FROM generate_series(1, ${SUBJECTS}) AS g`, [P, T0]);
    await q("SELECT pg_stat_reset_single_table_counters('subjects'::regclass)");

    expect([...(await store.loadSubjects(P, ['s7'])).keys()]).toEqual(['s7']);
    const event = { id: 'e1', type: 'heartbeat' as const, ts: T0 + 1_000, sessionId: 'ses_7', pseudonym: 's7', name: null, durationMs: null, activeMs: 100, propsJson: null, purposes: ['statistics'] };
    expect(await store.ingest({ projectId: P, receivedAt: T0 + HOUR_MS, tz: 'UTC', device: 'desktop', events: [event], suppressed: {} }))
      .toEqual({ accepted: 1, duplicates: 0 });
  } finally {
    // Its backends report their statistics as they exit.
    await store.close();
  }
  let read = 0;
  for (let tries = 0; tries < 100 && read === 0; tries++) {
    await new Promise((done) => setTimeout(done, 100));
    read = await rowsRead();
  }
  // The lookup, the lock and the last-seen update: a few rows each; the plan this replaced read 2,002.
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(20);
});
