/**
 * Snapshots of the statistics caches: a restart answers its first request from the snapshot
 * and reads only what changed since, with answers equal to a cache filled from nothing; a
 * removal since is applied from the removal log; a snapshot the database contradicts (a
 * removal the log no longer holds, an older database) or that is damaged is not used.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { moveSnapshotFolder } from '../../sqlite/snapshot-folder.js';
import { sqliteSnapshots } from '../../sqlite/stats-snapshots.js';
import { cacheCase, DAY, HOUR, memorySnapshots, START, storedSnapshot } from '../caches.case.js';
import { createIndexedStats } from '../indexed-stats.js';
import type { CacheSnapshots } from './project-snapshot.js';

const c = cacheCase();

/** A fresh indexed-stats over the test database, with or without snapshots. */
function open(store?: CacheSnapshots, feedHead?: () => Promise<number>, after?: { afterRows: number; delayMs: number }) {
  const counted = c().countedReads();
  const warnings: string[] = [];
  const stats = createIndexedStats(counted.reads, store ? { snapshots: { store, feedHead: feedHead ?? (() => counted.base.feedHead()), onWarning: (message) => warnings.push(message), ...after } } : {});
  return { stats, read: counted.read, warnings };
}

it('answers the first request after a restart from the snapshot, reading nothing that did not change', async () => {
  await c().population();
  const store = memorySnapshots();
  const first = open(store);
  const expected = await c().answers(first.stats);
  expect(expected.users).toBe(3);
  expect(first.read).toEqual({ marks: 12, sessions: 6 });
  await first.stats.close();
  expect(store.files.has(c().t.project.projectId)).toBe(true);

  const second = open(store);
  expect(await c().answers(second.stats)).toEqual(expected);
  expect(second.read).toEqual({ marks: 0, sessions: 0 });
  expect(second.warnings).toEqual([]);

  // New activity since the snapshot: one new cell, one new mark in a cached cell. Only those
  // cells' marks and the two new sessions are read, and the answers equal a cold fill's.
  await c().visit(['dee'], START + HOUR);
  await c().visit(['cem'], START + DAY);
  const third = open(store);
  const cold = open();
  expect(await c().answers(third.stats)).toEqual(await c().answers(cold.stats));
  expect((await c().answers(third.stats)).users).toBe(4);
  // Only the cells whose counters changed are read whole: the statistics hours START + HOUR
  // (dee: 1 mark) and START + DAY (ann, bob, cem: 3), the update_timing days of START (4 with
  // dee) and START + DAY (3); a cold fill reads 16.
  expect(third.read).toEqual({ marks: 11, sessions: 2 });
  expect(cold.read).toEqual({ marks: 16, sessions: 8 });
});

it('applies a removal made since the snapshot, and drops it once the log no longer reaches it or it is ahead of the database', async () => {
  const tokens = await c().population();
  const store = memorySnapshots();
  const first = open(store);
  await c().answers(first.stats);
  await first.stats.close();

  // A feed head below the snapshot's cursor: the database is an older copy; its sessions are read again.
  const older = open(store, async () => 0);
  expect(await c().answers(older.stats)).toEqual(await c().answers(open().stats));
  expect(older.read).toEqual({ marks: 0, sessions: 6 });

  // A restriction after the snapshot (through the server's connection): the logged step takes
  // ann out of the restored caches, and nothing is read.
  expect((await c().t.postUnsigned('/v1/me/restrict', { restricted: true }, { authorization: `Bearer ${tokens.get('ann')!}` })).status).toBe(200);
  const cold = open();
  const expected = await c().answers(cold.stats);
  expect(expected.users).toBe(2);
  const after = open(store);
  expect(await c().answers(after.stats)).toEqual(expected);
  expect(after.read).toEqual({ marks: 0, sessions: 0 });

  // The same snapshot once the log no longer holds that step: filled as from nothing.
  c().connection.client.prepare('DELETE FROM stats_removals').run();
  const pruned = open(store);
  expect(await c().answers(pruned.stats)).toEqual(expected);
  expect(pruned.read).toEqual(cold.read);
});

it('warns about a damaged snapshot and answers from the database', async () => {
  await c().population();
  const store = memorySnapshots();
  const first = open(store);
  const expected = await c().answers(first.stats);
  await first.stats.close();
  const bytes = store.files.get(c().t.project.projectId)!;
  store.files.set(c().t.project.projectId, bytes.subarray(0, bytes.length - 40));

  const damaged = open(store);
  expect(await c().answers(damaged.stats)).toEqual(expected);
  expect(damaged.warnings).toEqual([`statistics cache snapshot of ${c().t.project.projectId} not used: cache snapshot truncated in s.subject`]);
});

it('keeps the snapshot in the database, and a cache opened afresh answers from it', async () => {
  await c().population();
  const { projectId } = c().t.project;
  const first = open(sqliteSnapshots(c().connection));
  const expected = await c().answers(first.stats);
  await first.stats.close();
  const stored = await storedSnapshot(c().t);
  expect(stored.length).toBeGreaterThan(0);
  const second = open(sqliteSnapshots(c().connection));
  expect(await c().answers(second.stats)).toEqual(expected);
  expect(second.read).toEqual({ marks: 0, sessions: 0 });
  // Damage in the table: not a crash, a cold fill.
  c().connection.client.prepare('UPDATE stats_snapshots SET bytes = substr(bytes, 1, 100) WHERE project_id = ?').run(projectId);
  const third = open(sqliteSnapshots(c().connection));
  expect(await c().answers(third.stats)).toEqual(expected);
  expect(third.warnings).toEqual([`statistics cache snapshot of ${projectId} not used: cache snapshot truncated in its header`]);
});

it('moves a snapshot file of an earlier version into the database and deletes its folder', async () => {
  await c().population();
  const { projectId } = c().t.project;
  const memory = memorySnapshots();
  const first = open(memory);
  const expected = await c().answers(first.stats);
  await first.stats.close();
  const folder = `${c().t.dbPath}-stats-cache`;
  mkdirSync(folder);
  writeFileSync(join(folder, `${encodeURIComponent(projectId)}.snapshot`), memory.files.get(projectId)!);
  writeFileSync(join(folder, `${encodeURIComponent(projectId)}.snapshot.123.tmp`), 'half a write');
  c().connection.client.prepare('DELETE FROM stats_snapshots').run();

  expect(moveSnapshotFolder(c().t.dbPath, c().connection)).toEqual([projectId]);
  expect(existsSync(folder)).toBe(false);
  expect(await storedSnapshot(c().t)).toEqual(Buffer.from(memory.files.get(projectId)!));
  const restarted = open(sqliteSnapshots(c().connection));
  expect(await c().answers(restarted.stats)).toEqual(expected);
  expect(restarted.read).toEqual({ marks: 0, sessions: 0 });
  // A project that already has rows keeps them: they were written after the file.
  mkdirSync(folder);
  writeFileSync(join(folder, `${encodeURIComponent(projectId)}.snapshot`), 'older');
  expect(moveSnapshotFolder(c().t.dbPath, c().connection)).toEqual([]);
  expect(existsSync(folder)).toBe(false);
  expect(await storedSnapshot(c().t)).toEqual(Buffer.from(memory.files.get(projectId)!));
});

it('writes a snapshot soon after a fill of afterRows rows, not after one row fewer', async () => {
  await c().population();
  // The population's first answers read 12 marks and 6 sessions: 18 rows.
  for (const [afterRows, written] of [[19, false], [18, true]] as const) {
    const store = memorySnapshots();
    const instance = open(store, undefined, { afterRows, delayMs: 5 });
    await c().answers(instance.stats);
    expect(instance.read).toEqual({ marks: 12, sessions: 6 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.files.has(c().t.project.projectId)).toBe(written);
    await instance.stats.close();
    expect(store.files.has(c().t.project.projectId)).toBe(true);
  }
});

it('writes that snapshot only once statistics requests have been quiet for delayMs', async () => {
  await c().population();
  const store = memorySnapshots();
  const instance = open(store, undefined, { afterRows: 18, delayMs: 80 });
  await c().answers(instance.stats);
  // A request every 20 ms for 300 ms: each one puts the write off again.
  for (let at = 0; at < 300; at += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await instance.stats.distinctSubjects(c().t.project.projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + DAY }]);
    expect(store.files.has(c().t.project.projectId)).toBe(false);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(store.files.has(c().t.project.projectId)).toBe(true);
  await instance.stats.close();
});

it('says once, when the first refresh with no snapshot to start from reads afterRows rows, that `heed stats warm` does it ahead', async () => {
  await c().population();
  const hint = (rows: number) =>
    `statistics caches of ${c().t.project.projectId} are filling from the database with no snapshot to start from (${rows} rows so far); \`heed stats warm\` before a start fills them ahead of the first request after an upgrade (docs/operations.md)`;
  const firstRefresh = (stats: ReturnType<typeof open>['stats']) =>
    stats.distinctSubjects(c().t.project.projectId, [{ key: 'all', purpose: 'statistics', from: START - HOUR, to: START + 3 * DAY }]);
  // What the first refresh reads: the population's statistics hour marks.
  const probe = open(memorySnapshots(), undefined, { afterRows: 1_000, delayMs: 5 });
  await firstRefresh(probe.stats);
  const rows = probe.read.marks;
  expect(rows).toBeGreaterThan(0);

  // One row short in the first refresh: nothing said, also when later refreshes read more (a
  // new deployment's statistics keeper reads its rows a minute at a time).
  const short = open(memorySnapshots(), undefined, { afterRows: rows + 1, delayMs: 5 });
  await firstRefresh(short.stats);
  await c().answers(short.stats);
  expect(short.read.marks + short.read.sessions).toBeGreaterThan(rows + 1);
  expect(short.warnings).toEqual([]);

  const store = memorySnapshots();
  const cold = open(store, undefined, { afterRows: rows, delayMs: 5 });
  await c().answers(cold.stats);
  await c().visit(['dee'], START + HOUR);
  await c().answers(cold.stats);
  expect(cold.warnings).toEqual([hint(rows)]);
  await cold.stats.close();

  // Restored from the snapshot: rows read since (dee's new activity) say nothing.
  await c().visit(['cem'], START + DAY);
  const restarted = open(store, undefined, { afterRows: 1, delayMs: 5 });
  await c().answers(restarted.stats);
  expect(restarted.read.marks).toBeGreaterThan(0);
  expect(restarted.warnings).toEqual([]);
  await restarted.stats.close();
});
