/**
 * Opens the SQLite file with the settings the server relies on, then migrates it
 * (`migrate.ts`). WAL lets statistics read while ingest writes; `synchronous=NORMAL` in WAL mode
 * keeps the database consistent after a process crash and loses at most the last commits on
 * a power cut (see docs/operations.md); `busy_timeout` turns brief lock contention into a
 * wait instead of an error.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as SqliteClient } from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrateSqlite } from './migrate.js';
import * as schema from './schema.js';

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  readonly path: string;
  readonly busyTimeoutMs?: number;
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How often the worker looks at an idle WAL (a growing one: every few ms); 0 leaves checkpoints to SQLite. Default 1 s. */
  readonly checkpointIntervalMs?: number;
  /**
   * How long emptying the WAL after an erasure or a retention run waits for readers that still
   * use it (a long statistics read, another process's transaction) before it gives up with a
   * warning; the next one empties it. Default 10 s.
   */
  readonly truncateWithinMs?: number;
  /** Where problems of the background checkpointer are reported; by default, logged as the server logs (JSON lines on stdout). */
  readonly onWarning?: (message: string) => void;
}

export function openSqlite(options: SqliteOptions): { client: SqliteClient; db: BetterSQLite3Database<typeof schema> } {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const client = new Database(options.path);
  client.pragma('journal_mode = WAL');
  client.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  client.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2_000}`);
  client.pragma('foreign_keys = ON');
  // Erasure and retention promise that rows are gone; SQLite otherwise leaves a deleted row's
  // bytes in the page's free space or on the free list, where anyone who copies the file (a
  // backup taken afterwards) reads them. The WAL's older frames are emptied after each
  // (`sqlite-store.ts`, scrubDeleted).
  client.pragma('secure_delete = ON');
  // Session ids and pseudonyms are random, so their indexes take inserts all over the tree
  // (events are keyed by time, see schema.ts): a 32 MiB page cache (the default is 2 MiB)
  // keeps those pages in memory as the tables grow.
  client.pragma('cache_size = -32768');
  // Checkpoints run on a worker (checkpointer.ts); this threshold (about 160 MiB) is only the
  // safety net should it fall behind.
  if (options.path !== ':memory:') client.pragma('wal_autocheckpoint = 40000');

  const db = drizzle(client, { schema });
  migrateSqlite(db);
  return { client, db };
}

