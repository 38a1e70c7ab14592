/**
 * The in-memory subject sets never answer with stale marks: after every kind of change
 * (new marks, restriction, lifting, erasure, retention) the next count matches the database,
 * on each store; on PostgreSQL also when the change went through another server process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

async function visit(server: TestServer, users: readonly string[], ts: number, accepted = users.length) {
  // The clock only moves forward (the rate limiter's buckets refill with it); events may be older.
  server.clock.set(Math.max(server.clock.now(), ts + 60_000));
  const events = users.map((user) => ({ id: id(), type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, subject: server.subjectFor(user) }));
  const response = await server.post('/v1/batch', { writeKey: server.project.writeKey, sentAt: server.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
  expect(await response.json()).toMatchObject({ accepted });
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
    expect(await t.server.services.store.prune('activity', START + DAY, 1_000)).toBeGreaterThan(0);
    expect(await counts()).toEqual({ users: 2, gaps: [] });
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
