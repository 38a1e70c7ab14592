/**
 * Group commit on PostgreSQL: batches written in the same turn share one transaction (their
 * sessions carry one transaction id), a batch that fails takes nothing of its neighbours down
 * with it, a busy database refuses the whole group as busy (503), and counters go to writer
 * slots that concurrent connections never share.
 */
import postgres from 'postgres';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { StoreBusyError, type AcceptedEvent, type IngestWrite } from '../store.js';
import { createPostgresStore, type PostgresStore } from './postgres-store.js';

const P = 'p_group';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
let database: TestDatabase;
let store: PostgresStore;

const heartbeat = (id: string, pseudonym: string, activeMs: number): AcceptedEvent => ({
  id, type: 'heartbeat', ts: T0 + 1_000, sessionId: `ses_${pseudonym}`, pseudonym, name: null, durationMs: null, activeMs, propsJson: null, purposes: ['statistics'],
});
const write = (events: AcceptedEvent[]): IngestWrite => ({ projectId: P, receivedAt: T0 + HOUR_MS, tz: 'UTC', device: 'desktop', events, suppressed: { no_decision: 1 } });
const q = <T>(text: string, params: unknown[] = []) => queryPostgres<T>(database.url, text, params);
const activeMs = async () =>
  (await q<{ v: number }>("SELECT sum(value) AS v FROM aggregates WHERE purpose = 'statistics' AND grain = 'hour' AND metric = 'active_ms'"))[0]!.v;

beforeEach(async () => {
  database = await createTestDatabase();
  store = createPostgresStore({ url: database.url, poolSize: 6, lockTimeoutMs: 300, seal: testLedgerKeys() });
  await store.createProject({ id: P, name: 'Group', createdAt: T0, identityMode: 'enforce' });
  await q(`INSERT INTO subjects (project_id, pseudonym, key_id, created_at) SELECT ?, p, 'k1', ? FROM unnest(ARRAY['ann', 'bob', 'cy']) AS p`, [P, T0]);
});

afterEach(async () => {
  await store.close();
  await database.drop();
});

it('writes the batches of one turn in one transaction, and a failing batch fails alone', async () => {
  const together = await Promise.all([store.ingest(write([heartbeat('a1', 'ann', 100)])), store.ingest(write([heartbeat('c1', 'cy', 10)]))]);
  expect(together).toEqual([{ accepted: 1, duplicates: 0 }, { accepted: 1, duplicates: 0 }]);
  expect(await q('SELECT count(DISTINCT changed_xid) AS n FROM sessions')).toEqual([{ n: 1 }]);

  // A NOT NULL column left empty: PostgreSQL refuses this batch's insert, and the group's.
  const broken = { ...heartbeat('b2', 'bob', 5), type: null } as unknown as AcceptedEvent;
  const outcomes = await Promise.allSettled([
    store.ingest(write([heartbeat('a2', 'ann', 200)])),
    store.ingest(write([heartbeat('b1', 'bob', 1_000), broken])),
    store.ingest(write([heartbeat('c2', 'cy', 10), heartbeat('a1', 'ann', 100)])),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(outcomes[0]).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 0 } });
  expect(outcomes[2]).toEqual({ status: 'fulfilled', value: { accepted: 1, duplicates: 1 } });
  // Nothing of the failed batch (not even b1), everything of the others, counted once.
  expect(await q('SELECT id FROM events ORDER BY id')).toEqual([{ id: 'a1' }, { id: 'a2' }, { id: 'c1' }, { id: 'c2' }]);
  expect(await activeMs()).toBe(320);
  expect(await q('SELECT sum(count) AS n FROM suppressions')).toEqual([{ n: 4 }]);
  expect(await q('SELECT session_id FROM sessions ORDER BY session_id')).toEqual([{ session_id: 'ses_ann' }, { session_id: 'ses_cy' }]);
});

it('commits events, sessions, activity, counters, suppressions and last-seen in one transaction', async () => {
  // Were any of these statements sent after COMMIT, it would run in a transaction of its own,
  // and a crash between the two would keep events without their counters (issue 17's CI run).
  await Promise.all([store.ingest(write([heartbeat('a1', 'ann', 100)])), store.ingest(write([heartbeat('c1', 'cy', 10)]))]);
  const writers = await q<{ table: string; xid: string }>(`
    SELECT DISTINCT 'events' AS table, xmin::text AS xid FROM events UNION
    SELECT DISTINCT 'sessions', xmin::text FROM sessions UNION
    SELECT DISTINCT 'activity', xmin::text FROM activity UNION
    SELECT DISTINCT 'aggregates', xmin::text FROM aggregates UNION
    SELECT DISTINCT 'suppressions', xmin::text FROM suppressions UNION
    SELECT DISTINCT 'subjects', xmin::text FROM subjects WHERE last_seen_at IS NOT NULL`);
  expect(writers.map((row) => row.table).sort()).toEqual(['activity', 'aggregates', 'events', 'sessions', 'subjects', 'suppressions']);
  expect(new Set(writers.map((row) => row.xid)).size).toBe(1);
});

it('counts a retried batch once, also when it arrives in the same group as the first copy', async () => {
  const batch = write([heartbeat('r1', 'ann', 100), heartbeat('r2', 'ann', 200)]);
  const results = await Promise.all([store.ingest(batch), store.ingest(batch)]);
  expect(results).toEqual([{ accepted: 2, duplicates: 0 }, { accepted: 0, duplicates: 2 }]);
  expect(await store.ingest(batch)).toEqual({ accepted: 0, duplicates: 2 });
  expect(await activeMs()).toBe(300);
});

it('refuses every batch of a group as busy while another transaction holds a subject past the lock timeout', async () => {
  const other = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const outcomes = await other.begin(async (tx) => {
      await tx`SELECT 1 FROM subjects WHERE pseudonym = 'ann' FOR UPDATE`;
      return Promise.allSettled([store.ingest(write([heartbeat('a1', 'ann', 100)])), store.ingest(write([heartbeat('c1', 'cy', 10)]))]);
    });
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof StoreBusyError)).toEqual([true, true]);
  } finally {
    await other.end({ timeout: 5 });
  }
  expect(await q('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  expect(await store.ingest(write([heartbeat('c1', 'cy', 10)]))).toEqual({ accepted: 1, duplicates: 0 });
});

it('gives each live connection its own writer slot, so concurrent groups never add to one counter row', async () => {
  const one = postgres(database.url, { max: 1, onnotice: () => {} });
  const two = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const slot = async (sql: postgres.Sql) => (await sql<{ slot: number }[]>`SELECT heed_writer_slot() AS slot`)[0]!.slot;
    // The lowest free slot, kept for the connection's life.
    expect([await slot(one), await slot(two), await slot(one)]).toEqual([1, 2, 1]);
    await one.end({ timeout: 5 });
    // A closed connection's slot comes free for the next one.
    const three = postgres(database.url, { max: 1, onnotice: () => {} });
    expect(await slot(three)).toBe(1);
    await three.end({ timeout: 5 });
  } finally {
    await one.end({ timeout: 5 });
    await two.end({ timeout: 5 });
  }
});
