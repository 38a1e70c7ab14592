/**
 * Parity (issue 7): the same generated traffic through a server on SQLite and a server on
 * PostgreSQL yields identical batch answers, identical aggregate tables and identical
 * statistics responses on every route. Two weeks of simulated use on a manual clock: 40 users,
 * mixed consent, an objection, a restriction, an erasure, duplicates and late events.
 */
import { randomBytes } from 'node:crypto';
import { seeded, startTestServer, type TestServer } from '@heed/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 19, 0, 0, 0); // two weeks around the October DST change in Europe
const FEATURES = ['report.exported', 'search.run', 'settings.open'] as const;

let servers: TestServer[];

beforeAll(async () => {
  const env = { HEED_PSEUDONYM_KEY: randomBytes(32).toString('hex'), HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000' };
  servers = [await startTestServer({ store: 'sqlite', env, start: START }), await startTestServer({ store: 'postgres', env, start: START })];
}, 60_000);

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.close()));
});


/** Sends the same request to both servers, and checks they answer alike. */
async function both(send: (t: TestServer) => Promise<Response>, comparable: (body: unknown) => unknown = (body) => body): Promise<unknown> {
  const answers = await Promise.all(servers.map(async (t) => {
    const response = await send(t);
    return { status: response.status, body: comparable(await response.json()) };
  }));
  expect(answers[1]).toEqual(answers[0]);
  return answers[0]!.body;
}

it('answers alike on SQLite and PostgreSQL for two weeks of the same traffic', async () => {
  const next = seeded(42);
  const users = Array.from({ length: 40 }, (_, n) => `user-${n}`);
  for (const [n, user] of users.entries()) {
    const purposes = { statistics: n % 10 !== 9, update_timing: true };
    const objections = n % 7 === 3 ? ['update_timing'] : [];
    // Each server's project differs, so the client hash differs; the decision is the same.
    // Tokens are random per server: compare that one was issued, not its value.
    const body = await both((t) => t.post('/v1/consent', {
      writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes, objections, ts: t.clock.now(),
    }), (answer) => ({ ...(answer as object), subjectToken: typeof (answer as { subjectToken?: unknown }).subjectToken }));
    expect(body).toEqual({ policyVersion: '2026-11-01', subjectToken: 'string' });
  }

  let eventNo = 0;
  const sent: Record<string, unknown>[][] = [];
  for (let day = 0; day < 14; day++) {
    for (let hour = 0; hour < 24; hour += 1 + Math.floor(next() * 4)) {
      const now = START + day * 24 * HOUR + hour * HOUR + Math.floor(next() * HOUR);
      for (const t of servers) t.clock.set(now);
      const user = users[Math.floor(next() * users.length)]!;
      const sessionId = `ses_${String(eventNo).padStart(10, '0')}`;
      const events: { id: string; type: string; ts: number; user: string; [key: string]: unknown }[] = [];
      let ts = now - 20 * 60_000;
      events.push({ id: `evt_${String(++eventNo).padStart(12, '0')}`, type: 'session_start', ts, user });
      for (let k = 0, length = 1 + Math.floor(next() * 8); k < length; k++) {
        ts += Math.floor(next() * 120_000);
        events.push(next() < 0.5
          ? { id: `evt_${String(++eventNo).padStart(12, '0')}`, type: 'heartbeat', ts, user, activeMs: Math.floor(next() * 30_000) }
          : { id: `evt_${String(++eventNo).padStart(12, '0')}`, type: 'track', ts, user, name: FEATURES[Math.floor(next() * 3)]!, ...(next() < 0.5 ? { durationMs: Math.floor(next() * 4_000) } : {}) });
      }
      if (next() < 0.8) events.push({ id: `evt_${String(++eventNo).padStart(12, '0')}`, type: 'session_end', ts: ts + 1_000, user, activeMs: 500 });
      // A retry of an earlier batch now and then: duplicates must be duplicates on both.
      const batch = sent.length > 3 && next() < 0.15 ? sent[Math.floor(next() * sent.length)]! : events;
      if (batch === events) sent.push(events);
      await both((t) => t.post('/v1/batch', {
        writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'test/1',
        events: batch.map(({ user: who, ...event }) => ({ ...event, sessionId, subject: t.subjectFor(who as string) })),
      }));
    }
    if (day === 5 || day === 9) {
      // Day 5: user-4 is restricted; day 9: user-6 erased (both through the admin route, by user id).
      const user = day === 5 ? 'user-4' : 'user-6';
      await both(async (t) => {
        const response = await t.post(`/v1/admin/subjects/${day === 5 ? 'restrict' : 'erase'}`, day === 5 ? { userId: user, restricted: true } : { userId: user }, { authorization: `Bearer ${t.project.adminKey}` });
        expect(response.status).toBe(200);
        return response;
      });
    }
  }

  const tables = await Promise.all(servers.map((t) => t.query(
    // Summed over PostgreSQL's writer slots (a counter may be split over several rows there).
    'SELECT purpose, grain, bucket, metric, dim, sum(value) AS value FROM aggregates GROUP BY purpose, grain, bucket, metric, dim ORDER BY purpose, grain, bucket, metric, dim',
  )));
  const sortKey = (row: Record<string, unknown>) => JSON.stringify([row.purpose, row.grain, row.bucket, row.metric, row.dim]);
  const sorted = tables.map((rows) => [...rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)));
  expect(sorted[0]!.length).toBeGreaterThan(500);
  expect(sorted[1]).toEqual(sorted[0]);
  // Every data class alike; SQLite alone keeps subject_runs (where a subject's events are,
  // see its schema.ts): one per batch and subject, here one per session. PostgreSQL alone keeps
  // its statistics cache snapshots in a table (SQLite in files): none before a cache is read.
  const [sqliteCounts, postgresCounts] = await Promise.all(servers.map((server) => server.server.services.store.counts()));
  const { subject_runs: runs, ...sqliteClasses } = sqliteCounts!;
  expect(postgresCounts).toEqual({ ...sqliteClasses, stats_snapshots: 0 });
  expect(runs).toBe(sqliteCounts!.sessions);

  const routes = [
    '/v1/stats/usage?from=2026-10-19&to=2026-11-02',
    '/v1/stats/usage?grain=hour&from=2026-10-25&to=2026-10-26',
    '/v1/stats/usage?grain=day&from=2026-10-19&to=2026-11-02&tz=America/New_York',
    '/v1/stats/sessions?from=2026-10-19&to=2026-11-02',
    '/v1/stats/features?from=2026-10-19&to=2026-11-02',
    // Half-hour offset: both ends cut into UTC hours and days (SQLite sums whole days from day counters).
    '/v1/stats/features?from=2026-10-20&to=2026-10-31&tz=Asia/Kolkata',
    '/v1/stats/heatmap?weeks=2',
    '/v1/stats/update-windows',
  ];
  for (const route of routes) {
    await both(async (t) => {
      const response = await fetch(`${t.url}${route}`, { headers: { authorization: `Bearer ${t.project.analystKey}` } });
      expect(response.status, route).toBe(200);
      return response;
    });
  }
}, 120_000);
