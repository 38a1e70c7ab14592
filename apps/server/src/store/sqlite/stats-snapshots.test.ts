/**
 * Snapshots as rows of `stats_snapshots` on a real SQLite file: an image of several parts
 * reads back byte for byte, a shorter one leaves none of the longer one's parts behind, and a
 * writer that cannot get the lock changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ImageSource } from '../activity-index/snapshot/cache-image.js';
import { connectSqlite, type SqliteConnection } from './connection.js';
import { SQLITE_PART_BYTES as PART_BYTES, sqliteSnapshots } from './stats-snapshots.js';
import { StoreBusyError } from '../store.js';

let dir: string;
let connection: SqliteConnection;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heed-snapshots-'));
  connection = connectSqlite({ path: join(dir, 'heed.db'), busyTimeoutMs: 50 });
});
afterEach(() => {
  connection.client.close();
  rmSync(dir, { recursive: true, force: true });
});

const whole = (source: ImageSource) => {
  const bytes = Buffer.alloc(source.size);
  source.readInto(0, bytes);
  return bytes;
};
const parts = () => connection.client.prepare('SELECT project_id, part, length(bytes) AS bytes FROM stats_snapshots ORDER BY project_id, part').all();

it('keeps an image in parts of 64 KiB and reads it back whole; a shorter image leaves no part of the longer', async () => {
  const snapshots = sqliteSnapshots(connection);
  const image = randomBytes(2 * PART_BYTES + 1000);
  // Chunks that do not line up with the parts, as a cache image's sections do not.
  snapshots.write('p_1', [image.subarray(0, 7), image.subarray(7, PART_BYTES + 3), image.subarray(PART_BYTES + 3)]);
  snapshots.write('p_2', [Buffer.from('other project')]);
  expect(parts()).toEqual([
    { project_id: 'p_1', part: 0, bytes: PART_BYTES },
    { project_id: 'p_1', part: 1, bytes: PART_BYTES },
    { project_id: 'p_1', part: 2, bytes: 1000 },
    { project_id: 'p_2', part: 0, bytes: 13 },
  ]);
  expect((await snapshots.read('p_1', whole))!.equals(image)).toBe(true);

  snapshots.write('p_1', [image.subarray(0, 10)]);
  expect(parts()).toEqual([
    { project_id: 'p_1', part: 0, bytes: 10 },
    { project_id: 'p_2', part: 0, bytes: 13 },
  ]);
  expect(await snapshots.read('p_1', whole)).toEqual(image.subarray(0, 10));
  await snapshots.remove('p_1');
  expect(await snapshots.read('p_1', whole)).toBeUndefined();
  expect(parts()).toEqual([{ project_id: 'p_2', part: 0, bytes: 13 }]);
});

it('a write that cannot take the lock (another process writes) fails whole: the snapshot before it stays', async () => {
  const snapshots = sqliteSnapshots(connection);
  snapshots.write('p_1', [Buffer.from('first')]);
  const other = new Database(join(dir, 'heed.db'));
  other.prepare('BEGIN IMMEDIATE').run();
  try {
    expect(() => snapshots.write('p_1', [Buffer.from('second')])).toThrow(StoreBusyError);
  } finally {
    other.prepare('ROLLBACK').run();
    other.close();
  }
  expect(await snapshots.read('p_1', whole)).toEqual(Buffer.from('first'));
});

it('refuses a snapshot whose parts do not follow on from 0', async () => {
  const snapshots = sqliteSnapshots(connection);
  snapshots.write('p_1', [randomBytes(PART_BYTES + 1)]);
  connection.client.prepare('DELETE FROM stats_snapshots WHERE part = 0').run();
  await expect(snapshots.read('p_1', whole)).rejects.toThrow('cache snapshot parts missing');
});
