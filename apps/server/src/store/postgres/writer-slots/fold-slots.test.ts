/**
 * Folding writer slots: closed hours and days collapse into slot 0 with the same sums; the
 * current hour and day stay in their writers' slots.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../aggregates/time-units.js';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../../testing/test-databases.js';
import { connectPostgres, type PostgresConnection } from '../connection.js';
import { migratePostgres } from '../migrate.js';
import { foldWriterSlots } from './fold-slots.js';

const NOW = Date.UTC(2026, 10, 24, 8, 30, 0);
const HOUR = Math.floor(NOW / HOUR_MS) * HOUR_MS;
const DAY = Math.floor(NOW / DAY_MS) * DAY_MS;
let database: TestDatabase;
let connection: PostgresConnection;
const q = <T>(text: string, params: unknown[] = []) => queryPostgres<T>(database.url, text, params);

beforeEach(async () => {
  database = await createTestDatabase();
  await migratePostgres({ url: database.url });
  connection = connectPostgres({ url: database.url, poolSize: 2 });
});

afterEach(async () => {
  await connection.sql.end({ timeout: 5 });
  await database.drop();
});

it('folds closed buckets into slot 0 and leaves the open ones', async () => {
  const rows: [string, number, number, number][] = [
    ['hour', HOUR - HOUR_MS, 1, 3], ['hour', HOUR - HOUR_MS, 2, 4], ['hour', HOUR - HOUR_MS, 0, 10],
    ['hour', HOUR, 1, 5], ['hour', HOUR, 2, 6],
    ['day', DAY - DAY_MS, 3, 7], ['day', DAY, 3, 8],
  ];
  for (const [grain, bucket, slot, value] of rows) {
    await q(`INSERT INTO aggregates (project_id, purpose, grain, metric, bucket, dim, slot, value) VALUES ('p', 'statistics', ?, 'sessions', ?, '', ?, ?)`, [grain, bucket, slot, value]);
  }
  await q(`INSERT INTO suppressions (project_id, day, reason, slot, count) VALUES ('p', ?, 'erased', 1, 2), ('p', ?, 'erased', 2, 3), ('p', ?, 'erased', 1, 4)`, [DAY - DAY_MS, DAY - DAY_MS, DAY]);
  await foldWriterSlots(connection, NOW);
  expect(await q('SELECT grain, bucket, slot, value FROM aggregates ORDER BY grain, bucket, slot')).toEqual([
    { grain: 'day', bucket: DAY - DAY_MS, slot: 0, value: 7 },
    { grain: 'day', bucket: DAY, slot: 3, value: 8 },
    { grain: 'hour', bucket: HOUR - HOUR_MS, slot: 0, value: 17 },
    { grain: 'hour', bucket: HOUR, slot: 1, value: 5 },
    { grain: 'hour', bucket: HOUR, slot: 2, value: 6 },
  ]);
  expect(await q('SELECT day, slot, count FROM suppressions ORDER BY day, slot')).toEqual([
    { day: DAY - DAY_MS, slot: 0, count: 5 },
    { day: DAY, slot: 1, count: 4 },
  ]);
});
