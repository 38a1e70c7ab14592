/**
 * Events partitioned by day on PostgreSQL: the migration keeps every row of a database made
 * before it, a day without a partition gets one when an event needs it, and retention drops a
 * whole day only when nothing in it must stay (another project's rows, a restricted subject's
 * rows, rows that arrived after the cut), deleting row by row otherwise.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DAY_MS } from '../../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../../testing/test-databases.js';
import { testLedgerKeys } from '../../../testing/test-keys.js';
import { migrationsFolder } from '../../migrations-folder.js';
import type { AcceptedEvent } from '../../store.js';
import { createPostgresStore } from '../postgres-store.js';

const P = 'p_days';
const Q = 'p_other';
const D1 = Date.UTC(2026, 9, 1);
let dir: string;
let database: TestDatabase;
const q = <T>(text: string, params: unknown[] = []) => queryPostgres<T>(database.url, text, params);

/** The migrations folder as an earlier release shipped it: its first `count` migrations. */
function firstMigrations(count: number): string {
  const folder = join(dir, 'migrations');
  cpSync(migrationsFolder('postgres'), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const entries = journal.entries.slice(0, count);
  expect(entries.at(-1)?.tag).toBe('0007_writer_slots');
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries }));
  return folder;
}

/** Events of `pseudonym` at these times, arrived 10 ms later. */
async function insertEvents(project: string, pseudonym: string, times: readonly number[]): Promise<void> {
  for (const [n, ts] of times.entries()) {
    await q(`INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, active_ms, purposes)
      VALUES (?, ?, ?, 'ses_x', 'heartbeat', ?, ?, 1000, 'statistics')`, [project, `${pseudonym}_${ts}_${n}`, pseudonym, ts, ts + 10]);
  }
}

/** The day partitions of October 2026 up to the 5th (retention also makes the week after its clock). */
const daysHeld = async () =>
  (await q<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass AND c.relname < 'events_20261006' ORDER BY c.relname`)).map((row) => row.name);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heed-pg-upgrade-'));
  database = await createTestDatabase();
});

afterEach(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps every event of a database from before partitioning, each in its day', async () => {
  const before = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(before), { migrationsFolder: firstMigrations(8) });
  } finally {
    await before.end({ timeout: 5 });
  }
  await q(`INSERT INTO projects (id, name, created_at) VALUES (?, 'Days', ?), (?, 'Other', ?)`, [P, D1, Q, D1]);
  await q(`INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (?, 'ann', 'k1', ?), (?, 'bob', 'k1', ?)`, [P, D1, Q, D1]);
  await insertEvents(P, 'ann', [D1 + 5, D1 + DAY_MS - 1, D1 + DAY_MS, D1 + 3 * DAY_MS + 7]);
  await insertEvents(Q, 'bob', [D1 + 1]);
  const rows = 'SELECT project_id, id, pseudonym, ts, received_at, active_ms, purposes FROM events ORDER BY project_id, ts, id';
  const held = await q(rows);

  const store = createPostgresStore({ url: database.url, poolSize: 2, seal: testLedgerKeys() });
  try {
    await store.ready();
    expect(await q(rows)).toEqual(held);
    expect(await q(`SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'events'::regclass`)).toEqual([{ partstrat: 'r' }]);
    expect(await daysHeld()).toEqual(['events_20261001', 'events_20261002', 'events_20261004']);
    expect(await q('SELECT count(*) AS n FROM events_20261001')).toEqual([{ n: 3 }]);
    expect(await q(`SELECT to_regclass('events_unpartitioned') AS t`)).toEqual([{ t: null }]);
    // Migration 0010, on the same rows: arrival indexed by BRIN, on every day's partition too.
    expect(await q(`SELECT c.relname AS name, a.amname AS method FROM pg_class c JOIN pg_am a ON a.oid = c.relam
      WHERE c.relname LIKE 'events%received%' AND (c.relname < 'events_20261006' OR c.relname = 'events_received') ORDER BY c.relname`)).toEqual([
      { name: 'events_20261001_received_at_idx', method: 'brin' },
      { name: 'events_20261002_received_at_idx', method: 'brin' },
      { name: 'events_20261004_received_at_idx', method: 'brin' },
      { name: 'events_received', method: 'brin' },
    ]);

    const event = (id: string, ts: number): AcceptedEvent => ({
      id, type: 'heartbeat', ts, sessionId: 'ses_x', pseudonym: 'ann', name: null, durationMs: null, activeMs: 1_000, propsJson: null, purposes: ['statistics'],
    });
    // A retry of an event from before is a duplicate; an event on a day without a partition gets one.
    expect(await store.ingest({ projectId: P, receivedAt: D1 + 4 * DAY_MS, tz: 'UTC', device: 'desktop', events: [event(`ann_${D1 + 5}_0`, D1 + 5), event('new_00000001', D1 + 2 * DAY_MS)], suppressed: {} }))
      .toEqual({ accepted: 1, duplicates: 1 });
    expect(await daysHeld()).toEqual(['events_20261001', 'events_20261002', 'events_20261003', 'events_20261004']);
  } finally {
    await store.close();
  }
});

it('drops a day whole only when nothing in it must stay, and deletes row by row otherwise', async () => {
  const store = createPostgresStore({ url: database.url, poolSize: 2, seal: testLedgerKeys() });
  try {
    await store.ready();
    await store.createProject({ id: P, name: 'Days', createdAt: D1, identityMode: 'enforce' });
    await store.createProject({ id: Q, name: 'Other', createdAt: D1, identityMode: 'enforce' });
    for (const day of [0, 1, 2, 3, 4]) await q('SELECT heed_event_partition(?)', [D1 + day * DAY_MS]);
    await q(`INSERT INTO subjects (project_id, pseudonym, key_id, created_at, restricted) VALUES (?, 'ann', 'k1', ?, FALSE), (?, 'bob', 'k1', ?, TRUE), (?, 'cy', 'k1', ?, FALSE)`, [P, D1, P, D1, Q, D1]);
    await insertEvents(P, 'ann', [D1 + 1, D1 + 2, D1 + DAY_MS + 1, D1 + 2 * DAY_MS + 1, D1 + 3 * DAY_MS + 1]);
    await insertEvents(P, 'bob', [D1 + DAY_MS + 2]); // restricted: kept, so day 2 stays
    await insertEvents(Q, 'cy', [D1 + 2 * DAY_MS + 2]); // another project's row: day 3 stays
    // Day 4's last arrival is after the cut: it stays too.
    await q(`UPDATE events SET received_at = ? WHERE ts = ?`, [D1 + 5 * DAY_MS, D1 + 3 * DAY_MS + 1]);

    const cut = { projectId: P, before: D1 + 4 * DAY_MS, limit: 2, now: D1 + 4 * DAY_MS };
    const deleted: number[] = [];
    for (let count = cut.limit; count >= cut.limit;) deleted.push((count = await store.prune('rawEvents', cut)));
    // Day 1 dropped whole (2 rows), then ann's rows of days 2 and 3 row by row, in chunks of 2.
    expect(deleted).toEqual([2, 2, 0]);
    expect(await daysHeld()).toEqual(['events_20261002', 'events_20261003', 'events_20261004', 'events_20261005']);
    expect(await q('SELECT project_id, pseudonym, ts FROM events ORDER BY ts')).toEqual([
      { project_id: P, pseudonym: 'bob', ts: D1 + DAY_MS + 2 },
      { project_id: Q, pseudonym: 'cy', ts: D1 + 2 * DAY_MS + 2 },
      { project_id: P, pseudonym: 'ann', ts: D1 + 3 * DAY_MS + 1 },
    ]);

    // Once bob's restriction is lifted, day 2 holds nothing that must stay: it goes whole.
    await q(`UPDATE subjects SET restricted = FALSE WHERE pseudonym = 'bob'`);
    expect(await store.prune('rawEvents', cut)).toBe(1);
    expect(await daysHeld()).toEqual(['events_20261003', 'events_20261004', 'events_20261005']);
  } finally {
    await store.close();
  }
});
