/**
 * `OwnWrites` on SQLite: once a range was read in full, a request reads only the counters of
 * the cells its own connection wrote since, and answers as a full read would; a commit
 * through another connection (here the test server's, standing for another process on the
 * file) makes the next request read in full.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { planAggregates } from '../../aggregates/aggregate-plan.js';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { createAggregateWriter } from '../sqlite/aggregate-writer.js';
import { connectSqlite } from '../sqlite/connection.js';
import { createStatsQueries } from '../sqlite/stats-queries.js';
import { createIndexedStats } from './indexed-stats.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 2, 9);
let t: TestServer;
let counter = 0;
const id = () => `evt_own_${String(++counter).padStart(8, '0')}`;

beforeEach(async () => {
  t = await startTestServer({ start: START - HOUR, store: 'sqlite' });
});
afterEach(async () => {
  await t.close();
});

/** Sessions through the test server: its connection is "another connection" here. */
async function visit(users: readonly string[], ts: number): Promise<void> {
  for (const user of users) {
    await t.post('/v1/consent', { writeKey: t.project.writeKey, subject: t.subjectFor(user), policyVersion: '2026-11-01', purposes: { statistics: true }, ts: t.clock.now() });
  }
  t.clock.set(Math.max(t.clock.now(), ts + 60_000));
  const events = users.map((user) => ({ id: id(), type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, subject: t.subjectFor(user) }));
  const response = await t.post('/v1/batch', { writeKey: t.project.writeKey, sentAt: t.clock.now(), tz: 'UTC', device: 'desktop', sdk: 'test/1', events });
  expect(await response.json()).toMatchObject({ accepted: events.length });
}

it('reads the counters of the cells its connection wrote, and everything after another connection committed', async () => {
  await visit(['ann', 'bob'], START);
  const connection = connectSqlite({ path: t.dbPath, checkpointIntervalMs: 0 });
  try {
    const reads = createStatsQueries(connection);
    const calls = { full: 0, cells: [] as string[] };
    const stats = createIndexedStats(
      { ...reads, markCounts: (...args) => (calls.full++, reads.markCounts(...args)) },
      {
        ownWrites: {
          ...reads,
          cellCounts: (projectId, grain, cells) => {
            calls.cells.push(...cells.map((cell) => `${cell.purpose} +${(cell.bucket - START) / HOUR}h`));
            return reads.cellCounts(projectId, grain, cells);
          },
        },
      },
    );
    const users = async () => (await stats.distinctSubjects(t.project.projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 6 * HOUR }])).get('all') ?? 0;
    expect(await users()).toBe(2);
    expect(calls).toEqual({ full: 1, cells: [] });
    // Nothing written since: not one counter read.
    expect(await users()).toBe(2);
    expect(calls).toEqual({ full: 1, cells: [] });

    // Its own connection writes a new subject's mark two hours on (as ingest does): only that
    // cell's counter is read, and the new subject is counted.
    const plan = planAggregates([{ type: 'session_start', ts: START + 2 * HOUR, sessionId: 'ses_own', pseudonym: 'pseudonym-of-dee', name: null, durationMs: null, activeMs: null, purposes: ['statistics'] }]);
    connection.writeTransaction(() => createAggregateWriter(connection).apply(t.project.projectId, plan, 1));
    expect(await users()).toBe(3);
    expect(calls).toEqual({ full: 1, cells: ['statistics +2h'] });

    // Another connection commits a new subject: the next request reads in full and counts it.
    await visit(['cem'], START + 3 * HOUR);
    expect(await users()).toBe(4);
    expect(calls).toEqual({ full: 2, cells: ['statistics +2h'] });
  } finally {
    connection.client.close();
  }
});
