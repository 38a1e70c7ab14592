/**
 * Removals the caches' own connection made are applied, not answered by a fill from nothing:
 * after an erasure, a restriction and its lifting, an objection and a retention run, the
 * caches answer as a cold fill does while reading only the marks of cells whose counter the
 * removal left different. A removal made through another connection (another process on the
 * file) still drops the caches, and one rolled back is never applied.
 */
import { expect, it } from 'vitest';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { createSqliteRetention } from '../sqlite/retention.js';
import { createSqliteSubjectPort } from '../sqlite/subject-port.js';
import { createSubjectRepository } from '../sqlite/subjects.js';
import type { LedgerAppend } from '../store.js';
import { cacheCase, DAY, HOUR, memorySnapshots, START } from './caches.case.js';
import { createIndexedStats } from './indexed-stats.js';
import type { CacheSnapshots } from './snapshot/project-snapshot.js';

const c = cacheCase();

/** A fresh indexed-stats over the test's connection; `own`: told of that connection's writes and removals. */
function open(own: boolean, store?: CacheSnapshots) {
  const counted = c().countedReads();
  const snapshots = store ? { snapshots: { store, feedHead: () => counted.base.feedHead(), onWarning: (message: string) => expect.fail(message) } } : {};
  return { stats: createIndexedStats(counted.reads, { ...(own ? { ownWrites: counted.base } : {}), ...snapshots }), read: counted.read };
}

function subjects() {
  const { t, connection } = c();
  const { projectId } = t.project;
  const pseudonym = (user: string) => t.server.services.pseudonymizer.pseudonym(projectId, t.subjectFor(user));
  const ledger = (user: string, action: string): LedgerAppend => ({
    projectId, pseudonym: pseudonym(user), action, policyVersion: '2026-11-01', policyHash: '', detail: {}, at: t.clock.now(), actor: { channel: 'staff', auth: 'test' },
  });
  return { projectId, pseudonym, ledger, repository: createSubjectRepository(connection, testLedgerKeys()), retention: createSqliteRetention(connection, testLedgerKeys()) };
}

it('applies the removals its own connection made, reading only the cells they left different', async () => {
  await c().population();
  const { projectId, pseudonym, ledger, repository, retention } = subjects();
  const warm = open(true);
  expect((await c().answers(warm.stats)).users).toBe(3);
  expect(warm.read).toEqual({ marks: 12, sessions: 6 });

  /** After `removal`, the warm caches answer as a cold fill and read `expected`. */
  const check = async (removal: () => Promise<unknown>, users: number, expected: { marks: number; sessions: number }) => {
    Object.assign(warm.read, { marks: 0, sessions: 0 });
    await removal();
    const answers = await c().answers(warm.stats);
    expect(answers).toEqual(await c().answers(open(false).stats));
    expect(answers.users).toBe(users);
    expect(warm.read).toEqual(expected);
  };

  // Erasure: bob leaves every cell and his sessions leave; no cell needs reading.
  await check(() => repository.erase(projectId, pseudonym('bob'), ledger('bob', 'erase')), 2, { marks: 0, sessions: 0 });
  // Restriction takes cem's marks out: again nothing to read.
  await check(() => repository.changeFlags({ projectId, pseudonym: pseudonym('cem'), restricted: true, ledger: ledger('cem', 'restrict') }), 1, { marks: 0, sessions: 0 });
  // Lifting it puts them back: the caches took cem out, and read the cells whose counter now
  // says one more: his statistics hour and his update_timing day (2 marks each, with ann's).
  await check(() => repository.changeFlags({ projectId, pseudonym: pseudonym('cem'), restricted: false, ledger: ledger('cem', 'lift') }), 2, { marks: 4, sessions: 0 });
  // ann objects to update timing: her marks of that purpose go, those of statistics stay.
  await check(() => repository.changeFlags({ projectId, pseudonym: pseudonym('ann'), objected: ['update_timing'], ledger: ledger('ann', 'object') }), 2, { marks: 0, sessions: 0 });
  // Retention through day 0: its cells and sessions go; the caches drop those cells and sessions.
  const cut = { projectId, before: START + DAY - HOUR, limit: 1_000, now: START + 3 * DAY };
  await check(async () => {
    expect(await retention.prune('activity', cut)).toBeGreaterThan(0);
    expect(await retention.prune('sessions', cut)).toBe(2);
  }, 1, { marks: 0, sessions: 0 });

  // Both caches hold the last epoch: its removals (the sessions' keys among them) are forgotten.
  const epoch = (c().connection.client.prepare('SELECT stats_epoch AS epoch FROM projects WHERE id = ?').get(projectId) as { epoch: number }).epoch;
  expect(epoch).toBe(6);
  expect(c().connection.statsRemovals.between(projectId, epoch - 1, epoch)).toBeUndefined();

  // The same questions of a cache filled from nothing read every mark left.
  const cold = open(true);
  await c().answers(cold.stats);
  expect(cold.read).toEqual({ marks: 2, sessions: 2 });
});

it('fills again after a removal made through another connection', async () => {
  const tokens = await c().population();
  const warm = open(true);
  await c().answers(warm.stats);
  Object.assign(warm.read, { marks: 0, sessions: 0 });
  // The test server's own connection: its epoch step is not one this connection knows.
  expect((await c().t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('ann')!}` })).status).toBe(200);
  expect(await c().answers(warm.stats)).toEqual(await c().answers(open(false).stats));
  expect(warm.read).toEqual({ marks: 6, sessions: 6 });
});

it('never applies a removal whose transaction rolled back', async () => {
  await c().population();
  const { connection } = c();
  const { projectId } = subjects();
  const port = createSqliteSubjectPort(connection);
  const epoch = () => (connection.client.prepare('SELECT stats_epoch AS epoch FROM projects WHERE id = ?').get(projectId) as { epoch: number }).epoch;
  const before = epoch();
  expect(() =>
    connection.writeTransaction(() => {
      port.bumpStatsEpoch(projectId, { subject: 'rolled-back' });
      throw new Error('fails after the bump');
    }),
  ).toThrow('fails after the bump');
  expect(epoch()).toBe(before);
  expect(connection.statsRemovals.between(projectId, before, before + 1)).toBeUndefined();

  // A nested transaction that fails takes its removal with it; the outer one's stays.
  connection.writeTransaction(() => {
    port.bumpStatsEpoch(projectId, { subject: 'kept' });
    expect(() =>
      connection.writeTransaction(() => {
        port.bumpStatsEpoch(projectId, { subject: 'inner' });
        throw new Error('inner fails');
      }),
    ).toThrow('inner fails');
  });
  expect(epoch()).toBe(before + 1);
  expect(connection.statsRemovals.between(projectId, before, before + 1)).toEqual([{ subject: 'kept' }]);
});

it('restores a snapshot from before a removal this process made, and writes it under the new epoch', async () => {
  await c().population();
  const { projectId, pseudonym, ledger, repository } = subjects();
  const store = memorySnapshots();
  const first = open(true, store);
  await c().answers(first.stats);
  await first.stats.close();
  // An erasure after a start, before the project's first statistics request: the snapshot is
  // restored and the erasure applied to it.
  await repository.erase(projectId, pseudonym('bob'), ledger('bob', 'erase'));
  const second = open(true, store);
  const expected = await c().answers(second.stats);
  expect(expected).toEqual(await c().answers(open(false).stats));
  expect(expected.users).toBe(2);
  expect(second.read).toEqual({ marks: 0, sessions: 0 });
  await second.stats.close();
  // A restart after the erasure: the snapshot holds the new epoch, and nothing is read again.
  const third = open(true, store);
  expect(await c().answers(third.stats)).toEqual(expected);
  expect(third.read).toEqual({ marks: 0, sessions: 0 });
});
