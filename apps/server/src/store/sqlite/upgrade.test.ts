/**
 * A database made by an earlier release opens with the current one: migrations that rebuild a
 * table (SQLite cannot change a primary key in place) keep every row, and the order retention
 * relies on (oldest arrivals first in rowid order).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrationsFolder } from '../migrations-folder.js';
import type { AcceptedEvent } from '../store.js';
import { sketchBucket } from '../../aggregates/duration-sketch.js';
import { createSqliteStore } from './sqlite-store.js';
import { testLedgerKeys } from '../../testing/test-keys.js';

const P = 'p_upgrade';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
let dir: string;

/** The migrations folder as an earlier release shipped it: its first `count` migrations. */
function firstMigrations(count: number): string {
  const folder = join(dir, 'migrations');
  cpSync(migrationsFolder('sqlite'), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heed-upgrade-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('keeps the events and their order when events are keyed by (project, ts, id) and found through subject runs', async () => {
  const path = join(dir, 'heed.db');
  const before = new Database(path);
  // 0000..0004: the releases before events were keyed by time.
  migrate(drizzle(before), { migrationsFolder: firstMigrations(5) });
  before.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(P, 'Upgrade', T0);
  for (const pseudonym of ['ann', 'bob']) before.prepare("INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (?, ?, 'k1', ?)").run(P, pseudonym, T0);
  const insert = before.prepare(
    `INSERT INTO events (project_id, id, pseudonym, session_id, type, ts, received_at, active_ms, purposes)
     VALUES (?, ?, ?, 'ses_x', 'heartbeat', ?, ?, 1000, 'statistics')`,
  );
  // Arrival order differs from both id order and ts order; bob's event arrived in the same
  // batch as two of ann's, between them.
  insert.run(P, 'e2', 'ann', T0 + 2_000, T0 + 10);
  insert.run(P, 'e1', 'ann', T0 + 3_000, T0 + 20);
  insert.run(P, 'b1', 'bob', T0 + 2_500, T0 + 20);
  insert.run(P, 'e3', 'ann', T0 + 1_000, T0 + 20);
  before.close();

  const store = createSqliteStore({ path, checkpointIntervalMs: 0, seal: testLedgerKeys() });
  try {
    // Rowids survive as seq, in arrival order; a subject's events of one arrival form a run.
    expect(store.client.prepare('SELECT seq, id, ts FROM events ORDER BY seq').all()).toEqual([
      { seq: 1, id: 'e2', ts: T0 + 2_000 },
      { seq: 2, id: 'e1', ts: T0 + 3_000 },
      { seq: 3, id: 'b1', ts: T0 + 2_500 },
      { seq: 4, id: 'e3', ts: T0 + 1_000 },
    ]);
    expect(store.client.prepare('SELECT pseudonym, first_seq AS f, last_seq AS l FROM subject_runs ORDER BY pseudonym, f').all()).toEqual([
      { pseudonym: 'ann', f: 1, l: 1 }, { pseudonym: 'ann', f: 2, l: 4 }, { pseudonym: 'bob', f: 3, l: 3 },
    ]);
    expect(store.client.prepare("SELECT name FROM pragma_index_info('events_key')").pluck().all()).toEqual(['project_id', 'ts', 'id']);
    expect(store.client.prepare("SELECT name FROM pragma_index_list('events') ORDER BY name").pluck().all()).toEqual(['events_key']);
    const retry: AcceptedEvent = {
      id: 'e1', type: 'heartbeat', ts: T0 + 3_000, sessionId: 'ses_x', pseudonym: 'ann', name: null, durationMs: null, activeMs: 1_000, propsJson: null, purposes: ['statistics'],
    };
    expect(await store.ingest({ projectId: P, receivedAt: T0 + 40, tz: 'UTC', device: 'desktop', events: [retry, { ...retry, id: 'e4' }], suppressed: {} }))
      .toEqual({ accepted: 1, duplicates: 1 });
    // ann's second run holds bob's event too: found by the run, kept out by the pseudonym.
    expect((await store.subjectData(P, 'ann'))?.events.map((row) => row.id)).toEqual(['e3', 'e2', 'e1', 'e4']);
    expect((await store.subjectData(P, 'bob'))?.events.map((row) => row.id)).toEqual(['b1']);
  } finally {
    await store.close();
  }
});

it('carries feature durations from the old bins to the sketch bucket of each bin midpoint (migration 0008)', async () => {
  const path = join(dir, 'heed.db');
  const before = new Database(path);
  // 0000..0007: the releases that kept feature durations in 18 fixed bins.
  migrate(drizzle(before), { migrationsFolder: firstMigrations(8) });
  before.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(P, 'Upgrade', T0);
  const insert = before.prepare("INSERT INTO aggregates (project_id, purpose, grain, bucket, metric, dim, value) VALUES (?, 'statistics', 'hour', ?, ?, ?, ?)");
  insert.run(P, T0, 'duration_bin:04', 'report.exported', 7); // [1 s, 2.5 s): midpoint 1,750 ms
  insert.run(P, T0, 'duration_bin:17', 'report.exported', 2); // open last bin: its lower edge, 4 h
  insert.run(P, T0, 'events', 'report.exported', 9);
  before.close();

  const store = createSqliteStore({ path, checkpointIntervalMs: 0, seal: testLedgerKeys() });
  try {
    expect(store.client.prepare('SELECT metric, dim, value FROM aggregates ORDER BY metric, dim').all()).toEqual([
      { metric: 'duration_sketch', dim: `${sketchBucket(1_750)}:report.exported`, value: 7 },
      { metric: 'duration_sketch', dim: `${sketchBucket(14_400_000)}:report.exported`, value: 2 },
      { metric: 'events', dim: 'report.exported', value: 9 },
    ]);
  } finally {
    await store.close();
  }
});

it('starts the session feed head at the highest number given before it, and keeps it when the newest sessions are deleted', async () => {
  const path = join(dir, 'heed.db');
  const before = new Database(path);
  // 0000..0009: the releases before the feed head.
  migrate(drizzle(before), { migrationsFolder: firstMigrations(10) });
  const insert = before.prepare("INSERT INTO sessions (project_id, session_id, pseudonym, started_at, last_seen_at, changed) VALUES (?, ?, 'ann', ?, ?, ?)");
  for (const changed of [1, 2, 3]) insert.run(P, `ses_${changed}`, T0, T0, changed);
  before.close();

  const store = createSqliteStore({ path, checkpointIntervalMs: 0, seal: testLedgerKeys() });
  const head = () => store.client.prepare('SELECT value FROM session_feed_head').pluck().all();
  expect(head()).toEqual([3]);
  store.client.prepare("DELETE FROM sessions WHERE changed >= 2").run();
  expect(head()).toEqual([3]);
  store.client.prepare("DELETE FROM sessions").run();
  expect(head()).toEqual([3]);
  await store.close();
});

it('moves the snapshot folder of the releases before 0011 into stats_snapshots when the store opens, and deletes it', async () => {
  const path = join(dir, 'heed.db');
  const before = new Database(path);
  // 0000..0010: the releases that kept snapshots in `<database>-stats-cache/`.
  migrate(drizzle(before), { migrationsFolder: firstMigrations(11) });
  before.close();
  const folder = `${path}-stats-cache`;
  mkdirSync(folder);
  const image = Buffer.alloc(1_500_000, 7);
  writeFileSync(join(folder, `${P}.snapshot`), image);

  const store = createSqliteStore({ path, checkpointIntervalMs: 0, seal: testLedgerKeys() });
  try {
    expect(existsSync(folder)).toBe(false);
    const parts = store.client.prepare('SELECT project_id AS projectId, part, bytes FROM stats_snapshots ORDER BY part').all() as { projectId: string; part: number; bytes: Buffer }[];
    // Parts of 64 KiB: 22 whole ones and the rest.
    expect(parts.map(({ projectId, part, bytes }) => [projectId, part, bytes.length])).toEqual([
      ...Array.from({ length: 22 }, (_, part) => [P, part, 1 << 16]),
      [P, 22, 1_500_000 - 22 * (1 << 16)],
    ]);
    expect(Buffer.concat(parts.map((row) => row.bytes)).equals(image)).toBe(true);
  } finally {
    await store.close();
  }
});
