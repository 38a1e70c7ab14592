/**
 * Removals are applied from the removal log (`stats_removals`), not answered by a fill from
 * nothing: after an erasure, a restriction and its lifting, an objection and a retention run,
 * the caches answer as a cold fill does while reading only the marks of cells whose counter
 * the removal left different, whichever connection (or process on the file) made them. A cache
 * further behind than the log reaches fills again, and a removal rolled back is never logged.
 */
import { expect, it } from 'vitest';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { REMOVAL_LOG_MAX_AGE_MS, REMOVALS_KEPT } from '../rules/stats-removal-log.js';
import { createSqliteRetention } from '../sqlite/retention.js';
import { createSqliteSubjectPort } from '../sqlite/subject-port.js';
import { createSubjectRepository } from '../sqlite/subjects.js';
import type { LedgerAppend } from '../store.js';
import { cacheCase, DAY, HOUR, memorySnapshots, snapshotPlaces, START } from './caches.case.js';
import { createIndexedStats } from './indexed-stats.js';
import type { CacheSnapshots } from './snapshot/project-snapshot.js';

const c = cacheCase();

/** A fresh indexed-stats over the test's connection; `own`: told of the cells that connection's writers changed. */
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

it('applies logged removals, reading only the cells they left different', async () => {
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

  // Six steps, each logged with what it took out: bob with his two sessions' keys first.
  const epoch = (c().connection.client.prepare('SELECT stats_epoch AS epoch FROM projects WHERE id = ?').get(projectId) as { epoch: number }).epoch;
  expect(epoch).toBe(6);
  const steps = (await c().countedReads().base.removals(projectId, 0, epoch))!;
  expect(steps.map((step) => Object.keys(step).sort().join('+'))).toEqual(
    ['sessionKeys+subject', 'purposes+subject', 'purposes+subject', 'purposes+subject', 'marksThrough', 'sessionKeys']);
  expect(steps[0]).toEqual({ subject: pseudonym('bob'), sessionKeys: [expect.any(Number), expect.any(Number)] });
  expect(steps[3]).toEqual({ subject: pseudonym('ann'), purposes: ['update_timing'] });

  // The same questions of a cache filled from nothing read every mark left.
  const cold = open(true);
  await c().answers(cold.stats);
  expect(cold.read).toEqual({ marks: 2, sessions: 2 });
});

it('applies a removal made through another connection, and fills again once the log no longer reaches back', async () => {
  const tokens = await c().population();
  const warm = open(true);
  await c().answers(warm.stats);
  Object.assign(warm.read, { marks: 0, sessions: 0 });
  // The test server's own connection (as another process on the file would): its step is logged.
  expect((await c().t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('ann')!}` })).status).toBe(200);
  expect(await c().answers(warm.stats)).toEqual(await c().answers(open(false).stats));
  expect(warm.read).toEqual({ marks: 0, sessions: 0 });

  // A step the log no longer holds (pruned, or from before it existed): the caches fill again.
  expect((await c().t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('bob')!}` })).status).toBe(200);
  c().connection.client.prepare('DELETE FROM stats_removals').run();
  const expected = await c().answers(open(false).stats);
  expect(await c().answers(warm.stats)).toEqual(expected);
  expect(expected.users).toBe(1);
  expect(warm.read).toEqual({ marks: 2, sessions: 6 });
});

it('never logs a removal whose transaction rolled back', async () => {
  await c().population();
  const { connection } = c();
  const { projectId } = subjects();
  const { removals } = c().countedReads().base;
  const port = createSqliteSubjectPort(connection);
  const epoch = () => (connection.client.prepare('SELECT stats_epoch AS epoch FROM projects WHERE id = ?').get(projectId) as { epoch: number }).epoch;
  const before = epoch();
  expect(() =>
    connection.writeTransaction(() => {
      port.bumpStatsEpoch(projectId, { sessionKeys: [1] });
      throw new Error('fails after the bump');
    }),
  ).toThrow('fails after the bump');
  expect(epoch()).toBe(before);
  expect(await removals(projectId, before, before + 1)).toBeUndefined();

  // A nested transaction that fails takes its removal with it; the outer one's stays.
  connection.writeTransaction(() => {
    port.bumpStatsEpoch(projectId, { sessionKeys: [2] });
    expect(() =>
      connection.writeTransaction(() => {
        port.bumpStatsEpoch(projectId, { sessionKeys: [3] });
        throw new Error('inner fails');
      }),
    ).toThrow('inner fails');
  });
  expect(epoch()).toBe(before + 1);
  expect(await removals(projectId, before, before + 1)).toEqual([{ sessionKeys: [2] }]);
});

it(`keeps the newest ${REMOVALS_KEPT} steps of a project, none older than ${REMOVAL_LOG_MAX_AGE_MS / DAY} days`, async () => {
  await c().population();
  const { connection } = c();
  const { projectId } = subjects();
  const { removals } = c().countedReads().base;
  const port = createSqliteSubjectPort(connection);
  const base = (connection.client.prepare('SELECT stats_epoch AS epoch FROM projects WHERE id = ?').get(projectId) as { epoch: number }).epoch;
  const kept = () => connection.client.prepare('SELECT min(epoch) AS first, count(*) AS steps FROM stats_removals WHERE project_id = ?').get(projectId);
  connection.writeTransaction(() => {
    for (let step = 1; step <= REMOVALS_KEPT; step++) port.bumpStatsEpoch(projectId, { sessionKeys: [step] });
  });
  // Exactly as many as are kept: a cache under the epoch before all of them still reaches.
  expect(kept()).toEqual({ first: base + 1, steps: REMOVALS_KEPT });
  expect(await removals(projectId, base, base + REMOVALS_KEPT)).toHaveLength(REMOVALS_KEPT);
  connection.writeTransaction(() => port.bumpStatsEpoch(projectId, { marksThrough: 1 }));
  expect(kept()).toEqual({ first: base + 2, steps: REMOVALS_KEPT });
  expect(await removals(projectId, base, base + REMOVALS_KEPT + 1)).toBeUndefined();
  expect(await removals(projectId, base + 1, base + REMOVALS_KEPT + 1)).toHaveLength(REMOVALS_KEPT);

  // Age, by the database's clock: a step a minute past the limit goes at the next step, one a
  // minute short of it stays.
  const age = connection.client.prepare(`UPDATE stats_removals SET at = CAST(unixepoch('subsec') * 1000 AS INTEGER) - ? WHERE project_id = ? AND epoch = ?`);
  age.run(REMOVAL_LOG_MAX_AGE_MS + 60_000, projectId, base + 2);
  age.run(REMOVAL_LOG_MAX_AGE_MS - 60_000, projectId, base + 3);
  connection.writeTransaction(() => port.bumpStatsEpoch(projectId, { marksThrough: 2 }));
  expect(kept()).toEqual({ first: base + 3, steps: REMOVALS_KEPT });
});

/** The population's caches filled and written to a snapshot, as a process that stopped leaves them. */
async function snapshotted() {
  await c().population();
  const store = memorySnapshots();
  const first = open(true, store);
  await c().answers(first.stats);
  await first.stats.close();
  return { ...subjects(), store, first };
}

it('restores a snapshot from before a logged removal, and writes it under the new epoch', async () => {
  const { projectId, pseudonym, ledger, repository, store } = await snapshotted();
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

it('rewrites the snapshot without an erased subject, whether or not the caches are in memory', async () => {
  const { projectId, pseudonym, ledger, repository, store, first } = await snapshotted();
  expect(snapshotPlaces(store.files.get(projectId)!, projectId, pseudonym('bob'))).toBe(true);

  // Caches in memory: the erasure's snapshot is written from them, brought to the new epoch.
  await repository.erase(projectId, pseudonym('bob'), ledger('bob', 'erase'));
  await first.stats.removed(projectId);
  expect(snapshotPlaces(store.files.get(projectId)!, projectId, pseudonym('bob'))).toBe(false);
  expect(snapshotPlaces(store.files.get(projectId)!, projectId, pseudonym('ann'))).toBe(true);
  const restored = open(true, store);
  expect(await c().answers(restored.stats)).toEqual(await c().answers(open(false).stats));
  expect(restored.read).toEqual({ marks: 0, sessions: 0 });

  // A process that has not read the project's caches since it started reads the snapshot,
  // brings it to the erasure and writes it again: kept warm, without the subject.
  await repository.erase(projectId, pseudonym('ann'), ledger('ann', 'erase'));
  await open(true, store).stats.removed(projectId);
  const bytes = store.files.get(projectId)!;
  expect(snapshotPlaces(bytes, projectId, pseudonym('ann'))).toBe(false);
  expect(Buffer.from(bytes).includes(pseudonym('ann'))).toBe(false);
  expect(Buffer.from(bytes).includes(pseudonym('cem'))).toBe(true);
  const again = open(true, store);
  expect(await c().answers(again.stats)).toEqual(await c().answers(open(false).stats));
  expect(again.read).toEqual({ marks: 0, sessions: 0 });
});

it('writes a snapshot on close only after applying the removals made since its caches were read', async () => {
  const tokens = await c().population();
  const { projectId, pseudonym } = subjects();
  const store = memorySnapshots();
  const warm = open(true, store);
  await c().answers(warm.stats);
  // Through the server's own connection, with no statistics request after it: the caches here
  // still hold bob when the process closes.
  expect((await c().t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('bob')!}` })).status).toBe(200);
  await warm.stats.close();
  expect(snapshotPlaces(store.files.get(projectId)!, projectId, pseudonym('bob'))).toBe(false);
  expect(snapshotPlaces(store.files.get(projectId)!, projectId, pseudonym('cem'))).toBe(true);
});

it('counts a session that starts after an erasure took the newest changes out of the session feed', async () => {
  await c().population();
  const { projectId, pseudonym, ledger, repository } = subjects();
  const warm = open(true);
  await c().answers(warm.stats);
  // ann's session of day 2 is the feed's newest change: her erasure takes it out.
  const newest = c().connection.client.prepare('SELECT pseudonym FROM sessions ORDER BY changed DESC LIMIT 1').pluck().get();
  expect(newest).toBe(pseudonym('ann'));
  await repository.erase(projectId, pseudonym('ann'), ledger('ann', 'erase'));
  await c().answers(warm.stats);
  // A new session after it, by someone else.
  await c().visit(['cem'], START + 2 * DAY + HOUR);
  const cold = await c().answers(open(false).stats);
  expect(cold.sessions.bins.map((bin) => bin.sessions)).toEqual([4]);
  // Before the feed's numbers were kept (sessionFeedHead), the new session took ann's freed
  // number, at the warm cache's cursor, and the cache answered 3.
  expect(await c().answers(warm.stats)).toEqual(cold);
});
