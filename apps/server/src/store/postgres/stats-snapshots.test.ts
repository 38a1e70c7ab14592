/**
 * The PostgreSQL snapshot rows: an image in parts of 1 MiB comes back byte for byte, a smaller
 * image leaves no part of the larger one behind, a missing part is refused (the keeper then
 * warns and fills from the database), and of two writers at once one wins whole.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../../testing/test-databases.js';
import { testLedgerKeys } from '../../testing/test-keys.js';
import { connectPostgres, type PostgresConnection } from './connection.js';
import { createPostgresStore } from './postgres-store.js';
import { postgresSnapshots } from './stats-snapshots.js';

const MIB = 1 << 20;
let database: TestDatabase;
let connection: PostgresConnection;

beforeEach(async () => {
  database = await createTestDatabase();
  const store = createPostgresStore({ url: database.url, poolSize: 2, seal: testLedgerKeys() });
  await store.ready();
  await store.close();
  connection = connectPostgres({ url: database.url, poolSize: 4 });
});

afterEach(async () => {
  await connection.sql.end({ timeout: 5 });
  await database.drop();
});

const stored = (projectId: string) => postgresSnapshots(connection).read(projectId, (source) => {
  const bytes = Buffer.alloc(source.size);
  source.readInto(0, bytes);
  return bytes;
});
const parts = async () => (await queryPostgres<{ part: number }>(database.url, 'SELECT part FROM stats_snapshots ORDER BY part', [])).map((row) => row.part);

it('keeps an image in parts of 1 MiB, and a smaller one without the larger one\'s tail', async () => {
  const snapshots = postgresSnapshots(connection);
  const large = randomBytes(2 * MIB + 12_345);
  // Given as chunks that straddle the part boundaries, as the image writer gives them.
  await snapshots.write('p_1', [large.subarray(0, 700_000), large.subarray(700_000)]);
  expect(await parts()).toEqual([0, 1, 2]);
  expect((await stored('p_1'))!.equals(large)).toBe(true);

  const small = randomBytes(MIB);
  await snapshots.write('p_1', [small]);
  expect(await parts()).toEqual([0]);
  expect((await stored('p_1'))!.equals(small)).toBe(true);
  expect(await stored('p_2')).toBeUndefined();

  await snapshots.remove('p_1');
  expect(await parts()).toEqual([]);
});

it('refuses an image with a part missing', async () => {
  await postgresSnapshots(connection).write('p_1', [randomBytes(3 * MIB)]);
  await queryPostgres(database.url, 'DELETE FROM stats_snapshots WHERE part = 1', []);
  await expect(stored('p_1')).rejects.toThrow('cache snapshot parts missing');
});

it('lets one of two writers at once win whole, never a mix of their parts', async () => {
  const first = randomBytes(3 * MIB);
  const second = randomBytes(2 * MIB);
  // Two processes: two adapters, each with its own order of writes.
  await Promise.all([postgresSnapshots(connection).write('p_1', [first]), postgresSnapshots(connection).write('p_1', [second])]);
  const image = (await stored('p_1'))!;
  expect(image.equals(first) || image.equals(second)).toBe(true);
  expect(await parts()).toEqual(image.equals(first) ? [0, 1, 2] : [0, 1]);
});
