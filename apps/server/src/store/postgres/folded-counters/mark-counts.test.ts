/**
 * Mark counters with slot 0 kept in memory: after every kind of change (a writer adding to its
 * slot, a late event for a folded hour, a removal, a fold, retention) the answer equals a
 * read that sums every slot, and slot 0 is really kept: a change to it that no epoch
 * announces is not seen, one that does is.
 */
import { expect, it } from 'vitest';
import { HOUR_MS } from '../../../aggregates/time-units.js';
import { counterDatabase } from './counters.case.js';
import { foldWriterSlots } from '../writer-slots/fold-slots.js';
import { createMarkCounts } from './mark-counts.js';

const P = 'p_marks';
const NOW = Date.UTC(2026, 10, 24, 8, 30, 0);
const HOUR = Math.floor(NOW / HOUR_MS) * HOUR_MS;
const FROM = HOUR - 10 * HOUR_MS;
const PURPOSES = ['statistics', 'statistics#feature:a', 'statistics#timed:a', 'update_timing'];
const db = counterDatabase(P, 'Marks', NOW);
const q = <T>(text: string, params: unknown[] = []) => db().q<T>(text, params);

/** Adds `value` to the `subjects` counter of a purpose's hour, in a slot. */
const add = (purpose: string, bucket: number, slot: number, value: number) =>
  db().add({ purpose, grain: 'hour', metric: 'subjects', bucket, dim: '', slot, value });

/** What a read summing every slot answers (the shape `markCounts` had before slot 0 was kept). */
async function summed(from: number, to: number) {
  const rows = await q<{ purpose: string; bucket: number; n: number }>(`
    SELECT purpose, bucket, sum(value)::bigint AS n FROM aggregates
    WHERE project_id = ? AND grain = 'hour' AND metric = 'subjects' AND dim = '' AND bucket >= ? AND bucket < ?
    GROUP BY purpose, bucket HAVING sum(value) > 0 ORDER BY purpose, bucket`, [P, from, to]);
  return PURPOSES.map((purpose) => {
    const own = rows.filter((row) => row.purpose === purpose);
    return { purpose, buckets: own.map((row) => row.bucket), subjects: own.map((row) => row.n) };
  });
}

it('answers what summing every slot answers, through writes, late events, removals, folds and retention', async () => {
  const markCounts = createMarkCounts(db().connection.sql);
  const check = async (from = FROM, to = HOUR + HOUR_MS) => expect(await markCounts(P, 'hour', PURPOSES, from, to)).toEqual(await summed(from, to));
  for (let h = 1; h <= 9; h++) {
    for (const [n, purpose] of PURPOSES.entries()) await add(purpose, HOUR - h * HOUR_MS, 1 + (h % 3), h + n);
  }
  await foldWriterSlots(db().connection, NOW);
  await check();
  // The current hour, in two writers' slots.
  await add('statistics', HOUR, 1, 4);
  await add('statistics', HOUR, 2, 3);
  await check();
  // A late event for a folded hour opens a slot row beside slot 0; a removal subtracts in a slot.
  await add('statistics#feature:a', HOUR - 5 * HOUR_MS, 3, 1);
  await add('update_timing', HOUR - 4 * HOUR_MS, 2, -(4 + 3));
  await check();
  // A narrower range, and one that starts earlier than what is kept.
  await check(HOUR - 3 * HOUR_MS, HOUR);
  await check(HOUR - 12 * HOUR_MS, HOUR + HOUR_MS);
  // A fold moves slots into slot 0 (the sums stay); retention removes folded counters.
  await foldWriterSlots(db().connection, NOW + HOUR_MS);
  await check();
  expect(await db().store.prune('aggregates', { projectId: P, before: HOUR - 6 * HOUR_MS, limit: 1_000, now: NOW })).toBe(16);
  await check();
});

it('keeps slot 0 while the counters epoch holds, and reads it again once it moves', async () => {
  const markCounts = createMarkCounts(db().connection.sql);
  await add('statistics', HOUR - HOUR_MS, 0, 5);
  await add('statistics', HOUR, 1, 2);
  const first = await markCounts(P, 'hour', ['statistics'], FROM, HOUR + HOUR_MS);
  expect(first).toEqual([{ purpose: 'statistics', buckets: [HOUR - HOUR_MS, HOUR], subjects: [5, 2] }]);
  // Slot 0 changed behind the epoch's back (nothing in Heed does this): the kept value stands,
  // while the writer slot is read fresh.
  await q(`UPDATE aggregates SET value = 50 WHERE slot = 0`);
  await add('statistics', HOUR, 2, 1);
  expect(await markCounts(P, 'hour', ['statistics'], FROM, HOUR + HOUR_MS)).toEqual([{ purpose: 'statistics', buckets: [HOUR - HOUR_MS, HOUR], subjects: [5, 3] }]);
  await q(`UPDATE projects SET counters_epoch = counters_epoch + 1 WHERE id = ?`, [P]);
  expect(await markCounts(P, 'hour', ['statistics'], FROM, HOUR + HOUR_MS)).toEqual([{ purpose: 'statistics', buckets: [HOUR - HOUR_MS, HOUR], subjects: [50, 3] }]);
});

it('bumps the counters epoch when a fold or retention rewrites slot 0, and only then', async () => {
  const epoch = async () => (await q<{ e: number }>('SELECT counters_epoch AS e FROM projects WHERE id = ?', [P]))[0]!.e;
  await add('statistics', HOUR, 1, 2);
  await foldWriterSlots(db().connection, NOW);
  expect(await epoch()).toBe(0); // the open hour stays in its slot: nothing folded
  await add('statistics', HOUR - HOUR_MS, 1, 2);
  await foldWriterSlots(db().connection, NOW);
  expect(await epoch()).toBe(1);
  expect(await db().store.prune('aggregates', { projectId: P, before: HOUR - 2 * HOUR_MS, limit: 1_000, now: NOW })).toBe(0);
  expect(await epoch()).toBe(1);
  expect(await db().store.prune('aggregates', { projectId: P, before: HOUR - HOUR_MS, limit: 1_000, now: NOW })).toBe(1);
  expect(await epoch()).toBe(2);
});
