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
import type { PurposeEligibility } from '../stats-store.js';
import type { AcceptedEvent } from '../store.js';
import { createPostgresStore, type PostgresStore } from './postgres-store.js';

const P = 'p_feed';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
const EDGES = [0, 60_000];
const ALL: PurposeEligibility = { purpose: 'statistics', basis: 'contract', consentSince: '' };
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
  const bins = () => store.stats.sessionDurations(P, T0, T0 + HOUR_MS, EDGES, ALL);
  const late = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // ann's session: written first (the older transaction id), committed last.
    const slow = late.begin(async (tx) => {
      await tx`INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, active_ms, events, changed_xid)
        VALUES (${P}, 'ses_ann', 'ann', ${T0}, ${T0 + 120_000}, 0, 1, pg_current_xact_id()::text::bigint)`;
      written();
      await committed;
    });
    await wrote;
    const event: AcceptedEvent = { id: 'evt_bob_0001', type: 'session_start', ts: T0 + 1_000, sessionId: 'ses_bob', pseudonym: 'bob', name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics'] };
    expect(await store.ingest({ projectId: P, receivedAt: T0 + 2_000, tz: 'UTC', device: 'desktop', events: [event], suppressed: {} })).toEqual({ accepted: 1, duplicates: 0 });
    expect(await bins()).toEqual([{ bin: 0, sessions: 1, subjects: 1 }]);
    commit();
    await slow;
    expect(await bins()).toEqual([{ bin: 0, sessions: 1, subjects: 1 }, { bin: 1, sessions: 1, subjects: 1 }]);
    // The same answer as the one query over every session of the range.
    expect(await bins()).toEqual(await sessionDurationsByQuery());
  } finally {
    await late.end({ timeout: 5 });
  }
});

/** The reference: every session of the range binned in SQL. */
async function sessionDurationsByQuery() {
  const rows = await queryPostgres<{ bin: number; sessions: number; subjects: number }>(database.url,
    `SELECT CASE WHEN coalesce(ended_at, last_seen_at) - started_at >= 60000 THEN 1 ELSE 0 END AS bin, count(*) AS sessions, count(DISTINCT pseudonym) AS subjects
     FROM sessions WHERE project_id = ? GROUP BY 1 ORDER BY 1`, [P]);
  return rows;
}
