/**
 * Range sums with the day counters' slot 0 kept in memory: through writes, late events,
 * removals, folds and retention the answer equals one statement summing every slot, and slot
 * 0 is really kept: a change to it that no epoch announces is not seen, one that does is.
 */
import { expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../aggregates/time-units.js';
import { counterDatabase } from './counters.case.js';
import { foldWriterSlots } from '../writer-slots/fold-slots.js';
import { createRangeSums } from './range-sums.js';

const P = 'p_sums';
const NOW = Date.UTC(2026, 10, 24, 8, 30, 0);
const DAY = Math.floor(NOW / DAY_MS) * DAY_MS;
const HOUR = Math.floor(NOW / HOUR_MS) * HOUR_MS;
// Ten days back from the middle of a day to now: partial days at both ends, whole days between.
const FROM = DAY - 10 * DAY_MS + 13 * HOUR_MS;
const TO = HOUR + HOUR_MS;
const METRICS = ['events', 'timed'] as const;
const db = counterDatabase(P, 'Sums', NOW);
const q = <T>(text: string, params: unknown[] = []) => db().q<T>(text, params);

/** Adds `value` to a counter of the statistics purpose, in a slot. */
const add = (grain: 'hour' | 'day', bucket: number, metric: string, dim: string, slot: number, value: number) =>
  db().add({ purpose: 'statistics', grain, metric, bucket, dim, slot, value });

/** One statement summing every slot: the read as it was before slot 0 was kept. */
async function summed(from: number, to: number) {
  const firstDay = Math.min(Math.ceil(from / DAY_MS) * DAY_MS, to);
  const lastDay = Math.max(Math.floor(to / DAY_MS) * DAY_MS, firstDay);
  return q<{ metric: string; dim: string; value: number }>(`
    SELECT metric, dim, sum(value)::bigint AS value FROM aggregates
    WHERE project_id = ? AND purpose = 'statistics' AND metric IN ('events', 'timed') AND (
      (grain = 'hour' AND bucket >= ? AND bucket < ?) OR (grain = 'day' AND bucket >= ? AND bucket < ?) OR (grain = 'hour' AND bucket >= ? AND bucket < ?))
    GROUP BY metric, dim ORDER BY metric COLLATE "C", dim COLLATE "C"`, [P, from, firstDay, firstDay, lastDay, lastDay, to]);
}

it('answers what summing every slot answers, through writes, late events, removals, folds and retention', async () => {
  const rangeSums = createRangeSums(db().connection.sql);
  const check = async (from = FROM, to = TO) => {
    const expected = await summed(from, to);
    expect(expected.length).toBeGreaterThan(0);
    expect(await rangeSums(P, 'statistics', from, to, METRICS)).toEqual(expected);
  };
  // Days and hours of two features (one name sorts differently by bytes than by locale), in several slots.
  for (let d = 0; d <= 11; d++) {
    for (const [n, dim] of ['report.exported', 'Zoom', 'é.clicked'].entries()) {
      await add('day', DAY - d * DAY_MS, 'events', dim, 1 + ((d + n) % 3), d + n + 1);
      await add('day', DAY - d * DAY_MS, 'timed', dim, 2, 1);
      for (const h of [0, 12, 20]) await add('hour', DAY - d * DAY_MS + h * HOUR_MS, 'events', dim, 1 + (h % 2), n + 1);
    }
  }
  await foldWriterSlots(db().connection, NOW);
  await check();
  // Today's counters in writers' slots, a late event for a folded day, a removal.
  await add('day', DAY, 'events', 'report.exported', 3, 5);
  await add('hour', HOUR, 'events', 'report.exported', 3, 5);
  await add('day', DAY - 4 * DAY_MS, 'events', 'Zoom', 2, 1);
  await add('day', DAY - 5 * DAY_MS, 'timed', 'é.clicked', 1, -1);
  await add('day', DAY - 6 * DAY_MS, 'events', 'new.feature', 1, 2);
  await check();
  // A range starting later (what is kept covers it) and one starting earlier (read again).
  await check(FROM + 3 * DAY_MS, TO);
  await check(FROM - 1 * DAY_MS, TO - DAY_MS);
  await foldWriterSlots(db().connection, NOW + DAY_MS);
  await check();
  expect(await db().store.prune('aggregates', { projectId: P, before: DAY - 8 * DAY_MS, limit: 1_000, now: NOW + DAY_MS })).toBeGreaterThan(0);
  await check();
});

it('keeps slot 0 of the days while the counters epoch holds, and reads it again once it moves', async () => {
  const rangeSums = createRangeSums(db().connection.sql);
  await add('day', DAY - 2 * DAY_MS, 'events', 'a', 0, 5);
  await add('day', DAY - 2 * DAY_MS, 'events', 'a', 1, 1);
  expect(await rangeSums(P, 'statistics', FROM, TO, ['events'])).toEqual([{ metric: 'events', dim: 'a', value: 6 }]);
  // Slot 0 changed behind the epoch's back (nothing in Heed does this): the kept value stands,
  // while a writer slot is read fresh.
  await q(`UPDATE aggregates SET value = 50 WHERE slot = 0`);
  await add('day', DAY - 2 * DAY_MS, 'events', 'a', 2, 1);
  expect(await rangeSums(P, 'statistics', FROM, TO, ['events'])).toEqual([{ metric: 'events', dim: 'a', value: 7 }]);
  await q(`UPDATE projects SET counters_epoch = counters_epoch + 1 WHERE id = ?`, [P]);
  expect(await rangeSums(P, 'statistics', FROM, TO, ['events'])).toEqual([{ metric: 'events', dim: 'a', value: 52 }]);
});
