/**
 * Several processes on one PostgreSQL share what their statistics caches need. The removal
 * log: the caches of one apply the removals another made (an erasure, a restriction, a
 * retention run), answering as a fill from nothing does without reading a mark, and fill again
 * once the log no longer holds a step. The snapshot: a process that starts restores the caches
 * another one wrote, and reads only what changed since. Process A's caches are an
 * indexed-stats over a connection of their own, counting the marks they read; process B is a
 * second store on the same database.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HOUR_MS } from '../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import type { AcceptedEvent, LedgerAppend } from '../store.js';
import type { StatsReads } from '../stats-store.js';
import { connectPostgres, type PostgresConnection } from './connection.js';
import { createPostgresStore, type PostgresStore } from './postgres-store.js';
import { createStatsQueries } from './stats-queries.js';
import { postgresSnapshots } from './stats-snapshots.js';

const P = 'p_removals';
const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);
const EDGES = [0, 60_000];
const USERS = ['ann', 'bob', 'cem', 'dee'];
let database: TestDatabase;
let a: PostgresStore;
let b: PostgresStore;
let connection: PostgresConnection;

beforeEach(async () => {
  database = await createTestDatabase();
  a = createPostgresStore({ url: database.url, poolSize: 4, seal: testLedgerKeys() });
  b = createPostgresStore({ url: database.url, poolSize: 4, seal: testLedgerKeys() });
  await a.createProject({ id: P, name: 'Removals', createdAt: T0, identityMode: 'enforce' });
  await b.ready();
  connection = connectPostgres({ url: database.url, poolSize: 2 });
  for (const user of USERS) await queryPostgres(database.url, `INSERT INTO subjects (project_id, pseudonym, key_id, created_at) VALUES (?, ?, 'k1', ?)`, [P, user, T0]);
  // Each user: a session in the first hour, and ann and bob another in the second.
  const visits = [...USERS.map((user, index) => [user, T0 + index * 60_000] as const), ['ann', T0 + HOUR_MS + 60_000] as const, ['bob', T0 + HOUR_MS + 120_000] as const];
  for (const [index, [user, ts]] of visits.entries()) await visit(user, ts, index);
});

/** A session start of `user` at `ts`, through process B's store (`n` makes its ids unique). */
async function visit(user: string, ts: number, n: number): Promise<void> {
  const event: AcceptedEvent = {
    id: `evt_removals_${String(n).padStart(4, '0')}`, type: 'session_start', ts, sessionId: `ses_${user}_${n}`, pseudonym: user,
    name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics'],
  };
  expect(await b.ingest({ projectId: P, receivedAt: ts, tz: 'UTC', device: 'desktop', events: [event], suppressed: {} })).toEqual({ accepted: 1, duplicates: 0 });
}

afterEach(async () => {
  await connection.sql.end({ timeout: 5 });
  await Promise.all([a.close(), b.close()]);
  await database.drop();
});

/** An indexed-stats over its own connection, counting the marks it reads; with `snapshots`, kept in `stats_snapshots`. */
function processCaches(snapshots = false) {
  const base = createStatsQueries(connection);
  const read = { marks: 0 };
  const reads: StatsReads = {
    ...base,
    async marks(...args) {
      const cells = await base.marks(...args);
      for (const cell of cells) read.marks += cell.pseudonyms.length;
      return cells;
    },
  };
  const stats = createIndexedStats(
    reads,
    snapshots ? { snapshots: { store: postgresSnapshots(connection), feedHead: () => base.feedHead(), onWarning: (message) => expect.fail(message) } } : {},
  );
  const answers = async () => ({
    users: (await stats.distinctSubjects(P, [{ key: 'all', purpose: 'statistics', from: T0, to: T0 + 2 * HOUR_MS }])).get('all'),
    secondHour: (await stats.distinctSubjects(P, [{ key: 'second', purpose: 'statistics', from: T0 + HOUR_MS, to: T0 + 2 * HOUR_MS }])).get('second'),
    sessions: (await stats.sessionDurations(P, T0, T0 + 2 * HOUR_MS, EDGES, 'statistics', 1)).bins.map((bin) => [bin.bin, bin.sessions, bin.subjects]),
  });
  return { answers, read, close: () => stats.close() };
}

const ledger = (pseudonym: string, action: string): LedgerAppend => ({
  projectId: P, pseudonym, action, policyVersion: '2026-11-01', policyHash: '', detail: {}, at: T0 + 3 * HOUR_MS, actor: { channel: 'staff', auth: 'test' },
});

it('applies the erasure, restriction and retention another process made, reading no mark', async () => {
  const warm = processCaches();
  expect(await warm.answers()).toEqual({ users: 4, secondHour: 2, sessions: [[0, 6, 4]] });
  expect(warm.read.marks).toBe(6);

  /** After `removal` through process B, process A's warm caches answer as a cold fill and read no mark. */
  const check = async (removal: () => Promise<unknown>, expected: Awaited<ReturnType<typeof warm.answers>>) => {
    warm.read.marks = 0;
    await removal();
    expect(await warm.answers()).toEqual(expected);
    expect(await processCaches().answers()).toEqual(expected);
    expect(warm.read.marks).toBe(0);
  };
  await check(() => b.erase(P, 'bob', ledger('bob', 'erase')), { users: 3, secondHour: 1, sessions: [[0, 4, 3]] });
  await check(() => b.changeFlags({ projectId: P, pseudonym: 'cem', restricted: true, ledger: ledger('cem', 'restrict') }), { users: 2, secondHour: 1, sessions: [[0, 3, 2]] });
  // Retention through the first hour: its marks (ann's and dee's hour and day marks) and the
  // sessions last seen in it go (the removal carries their keys); cem's stay, restricted
  // (Art. 18), but do not count.
  const cut = { projectId: P, before: T0 + HOUR_MS - 1, limit: 1_000, now: T0 + 3 * HOUR_MS };
  await check(async () => {
    expect(await b.prune('activity', cut)).toBe(4);
    expect(await b.prune('sessions', cut)).toBe(2);
  }, { users: 1, secondHour: 1, sessions: [[0, 1, 1]] });

  // The log holds no pseudonym: a subject's step names the ledger entry of its change.
  const logged = await queryPostgres<{ ledgerSeq: number | null; removal: string }>(database.url, 'SELECT ledger_seq AS "ledgerSeq", removal FROM stats_removals ORDER BY epoch', []);
  const proofs = await queryPostgres<{ seq: number }>(database.url, "SELECT seq FROM consent_ledger WHERE action IN ('erase', 'restrict') ORDER BY seq", []);
  expect(logged).toEqual([
    { ledgerSeq: proofs[0]!.seq, removal: expect.stringMatching(/^\{"sessionKeys":\[\d+,\d+\]\}$/) },
    { ledgerSeq: proofs[1]!.seq, removal: '{"purposes":["statistics"]}' },
    { ledgerSeq: null, removal: `{"marksThrough":${cut.before}}` },
    { ledgerSeq: null, removal: expect.stringMatching(/^\{"sessionKeys":\[\d+,\d+\]\}$/) },
  ]);
  const steps = await createStatsQueries(connection).removals(P, 0, 4);
  expect(steps).toEqual([
    { subject: 'bob', sessionKeys: [expect.any(Number), expect.any(Number)] },
    { subject: 'cem', purposes: ['statistics'] },
    { marksThrough: cut.before },
    { sessionKeys: [expect.any(Number), expect.any(Number)] },
  ]);
});

it('fills again once the log no longer holds a step, or the ledger entry a step names', async () => {
  const warm = processCaches();
  await warm.answers();
  await b.changeFlags({ projectId: P, pseudonym: 'dee', restricted: true, ledger: ledger('dee', 'restrict') });
  await queryPostgres(database.url, 'UPDATE stats_removals SET ledger_seq = ledger_seq + 1000', []);
  warm.read.marks = 0;
  expect(await warm.answers()).toEqual({ users: 3, secondHour: 2, sessions: [[0, 5, 3]] });
  expect(warm.read.marks).toBe(5);

  await b.changeFlags({ projectId: P, pseudonym: 'cem', restricted: true, ledger: ledger('cem', 'restrict') });
  await queryPostgres(database.url, 'DELETE FROM stats_removals', []);
  warm.read.marks = 0;
  expect(await warm.answers()).toEqual({ users: 2, secondHour: 2, sessions: [[0, 4, 2]] });
  expect(warm.read.marks).toBe(4);
});

it('starts from the snapshot another process wrote, reading only the cells changed since', async () => {
  const first = processCaches(true);
  const expected = await first.answers();
  expect(first.read.marks).toBe(6);
  await first.close();
  expect(await queryPostgres(database.url, 'SELECT DISTINCT project_id AS "projectId" FROM stats_snapshots', [])).toEqual([{ projectId: P }]);

  const second = processCaches(true);
  expect(await second.answers()).toEqual(expected);
  expect(second.read.marks).toBe(0);

  // cem comes back in the second hour: a process starting from the same snapshot reads that
  // hour's cell again (ann, bob and cem) and the new session from the feed.
  await visit('cem', T0 + HOUR_MS + 180_000, 100);
  const third = processCaches(true);
  expect(await third.answers()).toEqual({ users: 4, secondHour: 3, sessions: [[0, 7, 4]] });
  expect(third.read.marks).toBe(3);
});
