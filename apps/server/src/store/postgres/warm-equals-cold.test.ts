/**
 * On PostgreSQL, the statistics caches of one process answer as a cold fill whatever another
 * process did between two requests (`cache-steps.case.ts`): process B (a store) ingests,
 * records decisions, erases, restricts, objects and runs retention; process A's caches (an
 * indexed-stats over a connection of their own, with snapshots in `stats_snapshots`) are
 * checked after every step against caches filled from nothing, and a restart starts A again
 * from the snapshot it wrote. What reaches A is what reaches any other process: the session
 * feed by transaction id, the removal log, the ledger's eligibility changes.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { DAY, HOUR, START, cacheAnswers } from '../activity-index/caches.case.js';
import { step, USERS, type Step, type User } from '../activity-index/cache-steps.case.js';
import { createIndexedStats } from '../activity-index/indexed-stats.js';
import type { AcceptedEvent, LedgerAppend } from '../store.js';
import { connectPostgres, type PostgresConnection } from './connection.js';
import { createPostgresStore } from './postgres-store.js';
import { createStatsQueries } from './stats-queries.js';
import { postgresSnapshots } from './stats-snapshots.js';

const P = 'p_warm';

/** Process A's caches, warm (with snapshots) or a cold fill. */
function caches(connection: PostgresConnection, snapshots: boolean) {
  const reads = createStatsQueries(connection);
  return createIndexedStats(
    reads,
    snapshots ? { snapshots: { store: postgresSnapshots(connection), feedHead: () => reads.feedHead(), onWarning: (message) => expect.fail(message) } } : {},
  );
}

async function run(steps: readonly Step[]): Promise<void> {
  const database = await createTestDatabase();
  const b = createPostgresStore({ url: database.url, poolSize: 3, seal: testLedgerKeys() });
  const connection = connectPostgres({ url: database.url, poolSize: 2 });
  let warm: ReturnType<typeof caches> | undefined;
  try {
    await b.createProject({ id: P, name: 'Warm', createdAt: START, identityMode: 'enforce' });
    let now = START;
    let n = 0;
    const ledger = (user: User, action: string): LedgerAppend => ({
      projectId: P, pseudonym: user, action, policyVersion: '2026-11-01', policyHash: '', detail: {}, at: now, actor: { channel: 'staff', auth: 'test' },
    });
    const decide = (user: User, granted: readonly string[]) =>
      b.recordConsent({ projectId: P, pseudonym: user, keyId: 'k1', at: now, policyVersion: '2026-11-01', granted, objected: [], ledger: ledger(user, 'decision') });
    for (const user of USERS) await decide(user, ['statistics', 'update_timing']);
    warm = caches(connection, true);
    await cacheAnswers(warm, P);
    for (const next of steps) {
      if (next.kind === 'visit') {
        // A session of one minute per user; the store itself suppresses an erased or restricted subject's.
        const ts = START + next.day * DAY + next.hour * HOUR;
        now = Math.max(now, ts + 120_000);
        const events = next.users.flatMap((user): AcceptedEvent[] => [
          { id: `evt_warm_${String(++n).padStart(6, '0')}`, type: 'session_start', ts, sessionId: `ses_${user}_${ts}`, pseudonym: user, name: null, durationMs: null, activeMs: null, propsJson: null, purposes: ['statistics', 'update_timing'] },
          { id: `evt_warm_${String(++n).padStart(6, '0')}`, type: 'heartbeat', ts: ts + 60_000, sessionId: `ses_${user}_${ts}`, pseudonym: user, name: null, durationMs: null, activeMs: 60_000, propsJson: null, purposes: ['statistics', 'update_timing'] },
        ]);
        await b.ingest({ projectId: P, receivedAt: now, tz: 'UTC', device: 'desktop', events, suppressed: {} });
      } else if (next.kind === 'erase') {
        await b.erase(P, next.user, ledger(next.user, 'erase'));
      } else if (next.kind === 'object') {
        await b.changeFlags({ projectId: P, pseudonym: next.user, objected: ['update_timing'], ledger: ledger(next.user, 'object') });
      } else if (next.kind === 'restrict') {
        await b.changeFlags({ projectId: P, pseudonym: next.user, restricted: next.on, ledger: ledger(next.user, next.on ? 'restrict' : 'lift') });
      } else if (next.kind === 'decide') {
        await decide(next.user, [...(next.statistics ? ['statistics'] : []), ...(next.updateTiming ? ['update_timing'] : [])]);
      } else if (next.kind === 'retention') {
        const cut = { projectId: P, before: START + next.day * DAY, limit: 1_000, now: START + 4 * DAY };
        await b.prune('activity', cut);
        await b.prune('sessions', cut);
      } else {
        await warm.close();
        warm = caches(connection, true);
      }
      expect(await cacheAnswers(warm, P), JSON.stringify(next)).toEqual(await cacheAnswers(caches(connection, false), P));
    }
  } finally {
    await warm?.close();
    await connection.sql.end({ timeout: 5 });
    await b.close();
    await database.drop();
  }
}

it('answers as a cold fill after any sequence of another process’s visits, decisions, rights and retention, and restarts', async () => {
  // A database per run: the steps start from an empty project.
  await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), run), { numRuns: 25 });
}, 600_000);
