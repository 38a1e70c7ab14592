/**
 * The in-memory subject sets never answer with stale marks: after every kind of change
 * (new marks, restriction, lifting, erasure, retention) the next count matches the database,
 * on each store; on PostgreSQL also when the change went through another server process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DURATION_EDGES, durationBin } from '../../aggregates/duration-bins.js';
import { sketchBucket } from '../../aggregates/duration-sketch.js';
import { connectSqlite } from '../sqlite/connection.js';
import { createStatsQueries } from '../sqlite/stats-queries.js';
import { createIndexedStats } from './indexed-stats.js';
import { storesUnderTest, type TestStoreKind } from '../../testing/test-databases.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 2, 9);
let t: TestServer;
let counter = 0;
const id = () => `evt_idx_${String(++counter).padStart(8, '0')}`;

async function consent(server: TestServer, user: string) {
  const response = await server.post('/v1/consent', {
    writeKey: server.project.writeKey, subject: server.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true, update_timing: true }, ts: server.clock.now(),
  });
  return ((await response.json()) as { subjectToken: string }).subjectToken;
}

async function send(server: TestServer, events: readonly Record<string, unknown>[], accepted = events.length) {
  // The clock only moves forward (the rate limiter's buckets refill with it); events may be older.
  server.clock.set(Math.max(server.clock.now(), ...events.map((event) => Number(event.ts) + 60_000)));
  const response = await server.post('/v1/batch', { writeKey: server.project.writeKey, sentAt: server.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
  expect(await response.json()).toMatchObject({ accepted });
}

const visit = (server: TestServer, users: readonly string[], ts: number, accepted = users.length) =>
  send(server, users.map((user) => ({ id: id(), type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, subject: server.subjectFor(user) })), accepted);

/** The bin of one session of `ms`, as the store answers it. */
const binOf = (ms: number) => ({ bin: durationBin(ms), sessions: 1, subjects: 1, sketch: new Map([[sketchBucket(ms), 1]]) });

/** The session distribution of the first day, as the server's store answers it. */
async function sessionBins() {
  return (await t.server.services.store.stats.sessionDurations(t.project.projectId, START - HOUR, START + DAY, DURATION_EDGES, 'statistics', 1)).bins;
}

/** Distinct `statistics` subjects over the first three days, and `update_timing` return gaps, as the server's store answers them. */
async function counts(server: TestServer = t) {
  const { stats } = server.server.services.store;
  const users = await stats.distinctSubjects(server.project.projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 3 * DAY }]);
  const gaps = await stats.returnIntervals(server.project.projectId, 'update_timing', START - DAY, START + 3 * DAY);
  return { users: users.get('all') ?? 0, gaps };
}

const rights = (server: TestServer, token: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method: body === undefined ? 'DELETE' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe.each(storesUnderTest())('on %s', (store: TestStoreKind) => {
  beforeEach(async () => {
    t = await startTestServer({ start: START - HOUR, store });
  });
  afterEach(async () => {
    await t.close();
  });

  it('follows new marks, restriction, lifting, erasure and retention after the sets are cached', async () => {
    const tokens = new Map<string, string>();
    for (const user of ['ann', 'bob', 'cem', 'dee']) tokens.set(user, await consent(t, user));
    await visit(t, ['ann', 'bob', 'cem'], START);
    await visit(t, ['ann'], START + 2 * DAY);
    expect(await counts()).toEqual({ users: 3, gaps: [{ gapDays: 2, intervals: 1, subjects: 1 }] });

    await visit(t, ['dee'], START + HOUR); // a new mark in a new cell
    await visit(t, ['bob'], START + 2 * DAY + HOUR); // a new mark in a cached cell
    expect(await counts()).toEqual({ users: 4, gaps: [{ gapDays: 2, intervals: 2, subjects: 2 }] });

    // One subject out and another in, in the same cells, before the next read: every set has
    // its cached size again, and only the epoch says that they changed.
    expect((await rights(t, tokens.get('ann')!, '/v1/me/restrict', { restricted: true })).status).toBe(200);
    await visit(t, ['cem'], START + 2 * DAY);
    expect(await counts()).toEqual({ users: 3, gaps: [{ gapDays: 2, intervals: 2, subjects: 2 }] });

    expect((await rights(t, tokens.get('ann')!, '/v1/me/restrict', { restricted: false })).status).toBe(200);
    expect(await counts()).toEqual({ users: 4, gaps: [{ gapDays: 2, intervals: 3, subjects: 3 }] });

    expect((await rights(t, tokens.get('bob')!, '/v1/me')).status).toBe(200);
    expect(await counts()).toEqual({ users: 3, gaps: [{ gapDays: 2, intervals: 2, subjects: 2 }] });

    // Retention takes the first day's marks: only the third day's subjects remain.
    expect(await t.server.services.store.prune('activity', { projectId: t.project.projectId, before: START + DAY, limit: 1_000, now: t.clock.now() })).toBeGreaterThan(0);
    expect(await counts()).toEqual({ users: 2, gaps: [] });
  });


  it('answers hourly subjects from the sets, equal to the counters, as marks come and go', async () => {
    const hourly = async () => {
      const { stats } = t.server.services.store;
      const [[sessions], activity] = await Promise.all([
        stats.hourlySums(t.project.projectId, 'statistics', START - HOUR, START + 3 * DAY, ['sessions']),
        stats.hourActivity(t.project.projectId, ['statistics'], START - HOUR, START + 3 * DAY),
      ]);
      return { subjects: activity.hourlySubjects('statistics'), sessions: { ...sessions } };
    };
    const counters = async () => {
      const rows = await t.query<{ bucket: number; value: number }>(
        `SELECT bucket, sum(value) AS value FROM aggregates WHERE project_id = ? AND purpose = 'statistics' AND grain = 'hour' AND metric = 'subjects' AND dim = ''
         GROUP BY bucket HAVING sum(value) > 0 ORDER BY bucket`,
        t.project.projectId,
      );
      return { metric: 'subjects', buckets: rows.map((row) => row.bucket), values: rows.map((row) => row.value) };
    };
    const tokens = new Map<string, string>();
    for (const user of ['ann', 'bob', 'cem']) tokens.set(user, await consent(t, user));
    await visit(t, ['ann', 'bob'], START);
    await visit(t, ['cem'], START + 2 * DAY);
    expect(await hourly()).toEqual({
      subjects: { metric: 'subjects', buckets: [START, START + 2 * DAY], values: [2, 1] },
      sessions: { metric: 'sessions', buckets: [START, START + 2 * DAY], values: [2, 1] },
    });
    await visit(t, ['cem'], START); // a new mark in a cached cell
    expect((await hourly()).subjects).toEqual({ metric: 'subjects', buckets: [START, START + 2 * DAY], values: [3, 1] });
    expect((await rights(t, tokens.get('cem')!, '/v1/me/restrict', { restricted: true })).status).toBe(200);
    expect((await hourly()).subjects).toEqual({ metric: 'subjects', buckets: [START], values: [2] });
    expect((await hourly()).subjects).toEqual(await counters());
  });

  it('bins sessions as they grow, and follows restriction, withdrawal and erasure', async () => {
    const ann = await consent(t, 'ann');
    const start = (user: string) => ({ id: id(), type: 'session_start', ts: START, sessionId: `ses_long_${user}`, subject: t.subjectFor(user) });
    const beat = (user: string, after: number) => ({ id: id(), type: 'heartbeat', ts: START + after, sessionId: `ses_long_${user}`, subject: t.subjectFor(user), activeMs: 1_000 });
    await send(t, [start('ann'), beat('ann', 60_000)]);
    expect(await sessionBins()).toEqual([binOf(60_000)]);

    await send(t, [beat('ann', 600_000)]); // the same session, now ten minutes long
    expect(await sessionBins()).toEqual([binOf(600_000)]);

    // A subject who decides after the eligible set was read, then has a session.
    const bob = await consent(t, 'bob');
    await send(t, [start('bob'), beat('bob', 60_000)]);
    expect(await sessionBins()).toEqual([binOf(60_000), binOf(600_000)]);

    expect((await rights(t, ann, '/v1/me/restrict', { restricted: true })).status).toBe(200);
    expect(await sessionBins()).toEqual([binOf(60_000)]);
    expect((await rights(t, ann, '/v1/me/restrict', { restricted: false })).status).toBe(200);
    // Withdrawal stops new collection only (Art. 7(3)): bob's earlier session still counts.
    expect((await rights(t, bob, '/v1/me/withdraw', {})).status).toBe(200);
    expect(await sessionBins()).toEqual([binOf(60_000), binOf(600_000)]);
    expect((await rights(t, bob, '/v1/me')).status).toBe(200);
    expect(await sessionBins()).toEqual([binOf(600_000)]);
    expect((await rights(t, ann, '/v1/me')).status).toBe(200);
    expect(await sessionBins()).toEqual([]);
  });
});

// Several processes share one database only on PostgreSQL (CI always runs it).
describe.runIf(storesUnderTest().includes('postgres'))('on postgres, two server processes', () => {
  beforeEach(async () => {
    t = await startTestServer({ start: START - HOUR, store: 'postgres' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('sees changes made through another server process on the same database', async () => {
    const other = await startTestServer({ start: START - HOUR, store: 'postgres', databaseUrl: t.databaseUrl, dataDir: t.dataDir, project: t.project });
    try {
      const tokens = new Map<string, string>();
      for (const user of ['ann', 'bob', 'cem']) tokens.set(user, await consent(t, user));
      await visit(t, ['ann', 'bob'], START);
      expect((await counts(t)).users).toBe(2);
      await visit(other, ['cem'], START);
      expect((await counts(t)).users).toBe(3);
      expect((await rights(other, tokens.get('ann')!, '/v1/me/restrict', { restricted: true })).status).toBe(200);
      await visit(other, ['ann', 'bob', 'cem'], START + HOUR, 2); // ann's event is suppressed, not stored
      expect((await counts(t)).users).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe('on sqlite, reading in slices', () => {
  beforeEach(async () => {
    t = await startTestServer({ start: START - HOUR, store: 'sqlite' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('gives the same answers one cell and two sessions per read as all at once', async () => {
    for (const user of ['ann', 'bob', 'cem', 'dee', 'eve']) await consent(t, user);
    await visit(t, ['ann', 'bob', 'cem'], START);
    await visit(t, ['bob', 'dee'], START + HOUR);
    await visit(t, ['eve'], START + 2 * DAY);
    const connection = connectSqlite({ path: t.dbPath, checkpointIntervalMs: 0 });
    try {
      const sliced = createIndexedStats(createStatsQueries(connection), { slices: { cellsPerRead: 1, marksPerRead: 1, sessionsPerRead: 2 } });
      const whole = t.server.services.store.stats;
      for (const stats of [sliced, whole]) {
        const users = await stats.distinctSubjects(t.project.projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 3 * DAY }]);
        expect(users).toEqual(new Map([['all', 5]]));
        // Every session is a start with nothing after it: five of them in the first bin, from five people.
        expect(await stats.sessionDurations(t.project.projectId, START - HOUR, START + 3 * DAY, DURATION_EDGES, 'statistics', 5)).toEqual({
          bins: [{ bin: 0, sessions: 6, subjects: 5, sketch: new Map([[0, 6]]) }], shownSubjects: 5,
        });
      }
    } finally {
      connection.client.close();
    }
  });
});
