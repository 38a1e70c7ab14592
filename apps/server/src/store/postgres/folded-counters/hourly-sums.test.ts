/**
 * Hourly sums with slot 0 kept in memory: per metric and hour, summed over dimensions, equal
 * to one statement summing every slot, through writes, folds and retention; and slot 0 is
 * really kept while the counters epoch holds.
 */
import { expect, it } from 'vitest';
import { HOUR_MS } from '../../../aggregates/time-units.js';
import { counterDatabase } from './counters.case.js';
import { foldWriterSlots } from '../writer-slots/fold-slots.js';
import { createHourlySums } from './hourly-sums.js';

const P = 'p_hours';
const NOW = Date.UTC(2026, 10, 24, 8, 30, 0);
const HOUR = Math.floor(NOW / HOUR_MS) * HOUR_MS;
const FROM = HOUR - 20 * HOUR_MS;
const TO = HOUR + HOUR_MS;
const METRICS = ['sessions', 'events'] as const;
const db = counterDatabase(P, 'Hours', NOW);
const q = <T>(text: string, params: unknown[] = []) => db().q<T>(text, params);

const add = (bucket: number, metric: string, dim: string, slot: number, value: number) =>
  db().add({ purpose: 'statistics', grain: 'hour', metric, bucket, dim, slot, value });

async function summed(from: number, to: number) {
  const rows = await q<{ metric: string; bucket: number; v: number }>(`
    SELECT metric, bucket, sum(value)::bigint AS v FROM aggregates
    WHERE project_id = ? AND purpose = 'statistics' AND grain = 'hour' AND bucket >= ? AND bucket < ?
    GROUP BY metric, bucket HAVING sum(value) > 0 ORDER BY metric, bucket`, [P, from, to]);
  return METRICS.map((metric) => {
    const own = rows.filter((row) => row.metric === metric);
    return { metric, buckets: own.map((row) => row.bucket), values: own.map((row) => row.v) };
  });
}

it('answers what summing every slot and dimension answers, through writes, folds and retention', async () => {
  const hourlySums = createHourlySums(db().connection.sql);
  const check = async (from = FROM, to = TO) => expect(await hourlySums(P, 'statistics', from, to, METRICS)).toEqual(await summed(from, to));
  for (let h = 1; h <= 18; h++) {
    await add(HOUR - h * HOUR_MS, 'sessions', '', 1 + (h % 3), h);
    for (const dim of ['a', 'b']) await add(HOUR - h * HOUR_MS, 'events', dim, 1 + (h % 2), h + 1);
  }
  await foldWriterSlots(db().connection, NOW);
  await check();
  await add(HOUR, 'sessions', '', 2, 3);
  await add(HOUR - 3 * HOUR_MS, 'events', 'c', 1, 4);
  await check();
  await check(HOUR - 5 * HOUR_MS, HOUR);
  await foldWriterSlots(db().connection, NOW + HOUR_MS);
  await check();
  expect(await db().store.prune('aggregates', { projectId: P, before: HOUR - 10 * HOUR_MS, limit: 1_000, now: NOW + HOUR_MS })).toBe(27);
  await check();
});

it('keeps slot 0 while the counters epoch holds, and reads it again once it moves', async () => {
  const hourlySums = createHourlySums(db().connection.sql);
  await add(HOUR - HOUR_MS, 'sessions', '', 0, 5);
  await add(HOUR, 'sessions', '', 1, 2);
  expect(await hourlySums(P, 'statistics', FROM, TO, ['sessions'])).toEqual([{ metric: 'sessions', buckets: [HOUR - HOUR_MS, HOUR], values: [5, 2] }]);
  await q(`UPDATE aggregates SET value = 50 WHERE slot = 0`);
  expect(await hourlySums(P, 'statistics', FROM, TO, ['sessions'])).toEqual([{ metric: 'sessions', buckets: [HOUR - HOUR_MS, HOUR], values: [5, 2] }]);
  await q(`UPDATE projects SET counters_epoch = counters_epoch + 1 WHERE id = ?`, [P]);
  expect(await hourlySums(P, 'statistics', FROM, TO, ['sessions'])).toEqual([{ metric: 'sessions', buckets: [HOUR - HOUR_MS, HOUR], values: [50, 2] }]);
});
