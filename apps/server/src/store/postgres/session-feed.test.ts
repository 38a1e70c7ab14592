/**
 * The session feed on PostgreSQL is commit-safe: a session written by a transaction that began
 * earlier but commits after a read still reaches the cache on the next read, although a later
 * transaction's session was read first (a cursor on the highest change seen would skip it).
 */
import postgres from 'postgres';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import type { AcceptedEvent } from '../store.js';
import { createPostgresStore, type PostgresStore } from './postgres-store.js';

const P = 'p_feed';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
const EDGES = [0, 60_000];
let database: TestDatabase;
let store: PostgresStore;

beforeEach(async () => {
  database = await createTestDatabase();
  store = createPostgresStore({ url: database.url, poolSize: 4, seal: testLedgerKeys() });
  await store.createProject({ id: P, name: 'Feed', createdAt: T0, identityMode: 'enforce' });
  await queryPostgres(database.url, `INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (?, 'ann', 'k1', ?), (?, 'bob', 'k1', ?)`, [P, T0, P, T0]);
});

afterEach(async () => {
  await store.close();
  await database.drop();
});

it('brings a session that committed after a later one was read', async () => {
  // Bins as [bin, sessions, subjects]; every subject shown (shownAt 1).
  const bins = async () => (await store.stats.sessionDurations(P, T0, T0 + HOUR_MS, EDGES, 'statistics', 1)).bins.map((b) => [b.bin, b.sessions, b.subjects]);
  const late = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // ann's session, with the hour mark that lets it count (docs/stats.md): written first (the
    // older transaction id), committed last.
    const slow = late.begin(async (tx) => {
      await tx`INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, active_ms, events, changed_xid)
        VALUES (${P}, 'ses_ann', 'ann', ${T0}, ${T0 + 120_000}, 0, 1, pg_current_xact_id()::text::bigint)`;
      await tx`INSERT INTO activity (project_id, purpose, grain, bucket, pseudonym) VALUES (${P}, 'statistics', 'hour', ${T0}, 'ann')`;
      await tx`INSERT INTO aggregates (project_id, purpose, grain, metric, bucket, dim, slot, value) VALUES (${P}, 'statistics', 'hour', 'subjects', ${T0}, '', 999, 1)`;
      written();
      await committed;
    });
    await wrote;
    const event: AcceptedEvent = { id: 'evt_bob_0001', type: 'session_start', ts: T0 + 1_000, sessionId: 'ses_bob', pseudonym: 'bob', name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics'] };
    expect(await store.ingest({ projectId: P, receivedAt: T0 + 2_000, tz: 'UTC', device: 'desktop', events: [event], suppressed: {} })).toEqual({ accepted: 1, duplicates: 0 });
    expect(await bins()).toEqual([[0, 1, 1]]);
    commit();
    await slow;
    expect(await bins()).toEqual([[0, 1, 1], [1, 1, 1]]);
  } finally {
    await late.end({ timeout: 5 });
  }
});
