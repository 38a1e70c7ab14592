/**
 * The WAL truncation that erasure and retention wait for (`truncate()`): on a real file, it
 * empties the WAL; a reader that still uses the WAL's frames holds it off, and it gives up at
 * its limit (false) instead of waiting forever; once the reader is done it empties it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';

const LIMIT_MS = 300;
let dir: string;
let path: string;
let writer: Database.Database;
let checkpointer: Checkpointer;
const walBytes = () => statSync(`${path}-wal`).size;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'heed-checkpointer-'));
  path = join(dir, 'heed.db');
  writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('CREATE TABLE t (v TEXT)');
  // An idle interval far beyond the test: only truncate() checkpoints.
  checkpointer = startCheckpointer(path, 600_000, (message) => expect.fail(message), LIMIT_MS);
});
afterEach(async () => {
  await checkpointer.stop();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

it('empties the WAL', async () => {
  writer.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(10_000));
  expect(walBytes()).toBeGreaterThan(10_000);
  expect(await checkpointer.truncate()).toBe(true);
  expect(walBytes()).toBe(0);
});

it('gives up at its limit while a reader uses the WAL, and empties it once the reader is done', async () => {
  writer.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(10_000));
  const reader = new Database(path, { readonly: true });
  reader.exec('BEGIN');
  expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  const started = Date.now();
  expect(await checkpointer.truncate()).toBe(false);
  const waited = Date.now() - started;
  expect(waited).toBeGreaterThanOrEqual(LIMIT_MS);
  expect(walBytes()).toBeGreaterThan(10_000);
  reader.exec('COMMIT');
  reader.close();
  expect(await checkpointer.truncate()).toBe(true);
  expect(walBytes()).toBe(0);
});
