/**
 * Snapshots of the statistics caches: a restart answers its first request from the snapshot
 * and reads only what changed since, with answers equal to a cache filled from nothing; a
 * snapshot the database contradicts (a removal since, an older database) or that is damaged
 * is not used.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DURATION_EDGES } from '../../../aggregates/duration-bins.js';
import { startTestServer, type TestServer } from '../../../testing/test-server.js';
import { connectSqlite } from '../../sqlite/connection.js';
import { createStatsQueries } from '../../sqlite/stats-queries.js';
import { fileSnapshots } from '../../sqlite/stats-snapshots.js';
import type { SessionFeed, StatsReads } from '../../stats-store.js';
import { createIndexedStats, type IndexedStats } from '../indexed-stats.js';
import { bytesSource } from './cache-image.js';
import type { CacheSnapshots } from './project-snapshot.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2, 9);
let t: TestServer;
let connection: ReturnType<typeof connectSqlite>;
let counter = 0;
const id = () => `evt_snap_${String(++counter).padStart(8, '0')}`;

beforeEach(async () => {
  t = await startTestServer({ start: START - HOUR, store: 'sqlite' });
  connection = connectSqlite({ path: t.dbPath, checkpointIntervalMs: 0 });
});

afterEach(async () => {
  connection.client.close();
  await t.close();
});

async function consent(user: string): Promise<string> {
  const response = await t.post('/v1/consent', {
    writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: t.clock.now(),
  });
  return ((await response.json()) as { subjectToken: string }).subjectToken;
}

/** A session of one minute for each user, starting at `ts`. */
async function visit(users: readonly string[], ts: number): Promise<void> {
  t.clock.set(Math.max(t.clock.now(), ts + 120_000));
  const events = users.flatMap((user) => [
    { id: id(), type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, subject: t.subjectFor(user) },
    { id: id(), type: 'heartbeat', ts: ts + 60_000, sessionId: `ses_${user}_${ts}`, subject: t.subjectFor(user), activeMs: 60_000 },
  ]);
  const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
  expect(await response.json()).toMatchObject({ accepted: events.length });
}

/** The reads of the test's database, counting the mark rows and session changes they return. */
function countedReads() {
  const base = createStatsQueries(connection);
  const feed = base.sessions as SessionFeed;
  const read = { marks: 0, sessions: 0 };
  const reads: StatsReads = {
    ...base,
    marks: async (...args) => {
      const rows = await base.marks(...args);
      read.marks += rows.length;
      return rows;
    },
    sessions: {
      ...feed,
      changedAfter: async (...args) => {
        const page = await feed.changedAfter(...args);
        read.sessions += page.changes.length;
        return page;
      },
    },
  };
  return { reads, read, feedHead: () => base.feedHead() };
}

function memorySnapshots(): CacheSnapshots & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    read: async (projectId, use) => {
      const bytes = files.get(projectId);
      return bytes && use(bytesSource(bytes));
    },
    write: (projectId, chunks) => void files.set(projectId, Buffer.concat(chunks)),
  };
}

/** A fresh indexed-stats over the test database, with or without snapshots. */
function open(store?: CacheSnapshots, feedHead?: () => Promise<number>, after?: { afterRows: number; delayMs: number }) {
  const counted = countedReads();
  const warnings: string[] = [];
  const stats = createIndexedStats(counted.reads, store ? { snapshots: { store, feedHead: feedHead ?? counted.feedHead, onWarning: (message) => warnings.push(message), ...after } } : {});
  return { stats, read: counted.read, warnings };
}

/** Every answer the caches serve, over the first three days. */
async function answers(stats: IndexedStats) {
  const projectId = t.project.projectId;
  const users = await stats.distinctSubjects(projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 3 * DAY }]);
  const gaps = await stats.returnIntervals(projectId, 'update_timing', START - DAY, START + 3 * DAY);
  const sessions = await stats.sessionDurations(projectId, START - HOUR, START + 3 * DAY, DURATION_EDGES, 'statistics', 1);
  return { users: users.get('all') ?? 0, gaps, sessions };
}

async function population() {
  const tokens = new Map<string, string>();
  for (const user of ['ann', 'bob', 'cem', 'dee']) tokens.set(user, await consent(user));
  await visit(['ann', 'bob', 'cem'], START);
  await visit(['ann', 'bob'], START + DAY);
  await visit(['ann'], START + 2 * DAY);
  return tokens;
}

it('answers the first request after a restart from the snapshot, reading nothing that did not change', async () => {
  await population();
  const store = memorySnapshots();
  const first = open(store);
  const expected = await answers(first.stats);
  expect(expected.users).toBe(3);
  expect(first.read).toEqual({ marks: 12, sessions: 6 });
  await first.stats.close();
  expect(store.files.has(t.project.projectId)).toBe(true);

  const second = open(store);
  expect(await answers(second.stats)).toEqual(expected);
  expect(second.read).toEqual({ marks: 0, sessions: 0 });
  expect(second.warnings).toEqual([]);

  // New activity since the snapshot: one new cell, one new mark in a cached cell. Only those
  // cells' marks and the two new sessions are read, and the answers equal a cold fill's.
  await visit(['dee'], START + HOUR);
  await visit(['cem'], START + DAY);
  const third = open(store);
  const cold = open();
  expect(await answers(third.stats)).toEqual(await answers(cold.stats));
  expect((await answers(third.stats)).users).toBe(4);
  // Only the cells whose counters changed are read whole: the statistics hours START + HOUR
  // (dee: 1 mark) and START + DAY (ann, bob, cem: 3), the update_timing days of START (4 with
  // dee) and START + DAY (3); a cold fill reads 16.
  expect(third.read).toEqual({ marks: 11, sessions: 2 });
  expect(cold.read).toEqual({ marks: 16, sessions: 8 });
});

it('drops a snapshot taken before a removal (another stats epoch), and one ahead of the database', async () => {
  const tokens = await population();
  const store = memorySnapshots();
  const first = open(store);
  await answers(first.stats);
  await first.stats.close();

  // A feed head below the snapshot's cursor: the database is an older copy; its sessions are read again.
  const older = open(store, async () => 0);
  expect(await answers(older.stats)).toEqual(await answers(open().stats));
  expect(older.read).toEqual({ marks: 0, sessions: 6 });

  expect((await t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('ann')!}` })).status).toBe(200);
  const after = open(store);
  const cold = open();
  expect(await answers(after.stats)).toEqual(await answers(cold.stats));
  expect((await answers(after.stats)).users).toBe(2);
  expect(after.read).toEqual(cold.read);
});

it('warns about a damaged snapshot and answers from the database', async () => {
  await population();
  const store = memorySnapshots();
  const first = open(store);
  const expected = await answers(first.stats);
  await first.stats.close();
  const bytes = store.files.get(t.project.projectId)!;
  store.files.set(t.project.projectId, bytes.subarray(0, bytes.length - 40));

  const damaged = open(store);
  expect(await answers(damaged.stats)).toEqual(expected);
  expect(damaged.warnings).toEqual([`statistics cache snapshot of ${t.project.projectId} not used: cache snapshot truncated in s.marked`]);
});

it('keeps the snapshot in a file beside the database, and a cache opened afresh answers from it', async () => {
  await population();
  const path = `${t.dbPath}-stats-cache/${t.project.projectId}.snapshot`;
  const first = open(fileSnapshots(t.dbPath));
  const expected = await answers(first.stats);
  await first.stats.close();
  expect(existsSync(path)).toBe(true);
  const second = open(fileSnapshots(t.dbPath));
  expect(await answers(second.stats)).toEqual(expected);
  expect(second.read).toEqual({ marks: 0, sessions: 0 });
  // Damage on disk: not a crash, a cold fill.
  writeFileSync(path, readFileSync(path).subarray(0, 100));
  const third = open(fileSnapshots(t.dbPath));
  expect(await answers(third.stats)).toEqual(expected);
  expect(third.warnings).toHaveLength(1);
});

it('writes a snapshot soon after a fill of afterRows rows, not after one row fewer', async () => {
  await population();
  // The population's first answers read 12 marks and 6 sessions: 18 rows.
  for (const [afterRows, written] of [[19, false], [18, true]] as const) {
    const store = memorySnapshots();
    const instance = open(store, undefined, { afterRows, delayMs: 5 });
    await answers(instance.stats);
    expect(instance.read).toEqual({ marks: 12, sessions: 6 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.files.has(t.project.projectId)).toBe(written);
    await instance.stats.close();
    expect(store.files.has(t.project.projectId)).toBe(true);
  }
});
