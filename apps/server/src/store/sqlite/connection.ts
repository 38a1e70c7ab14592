/**
 * What every part of the SQLite store shares: the open connection, and write transactions that
 * take the lock up front and turn lock time-outs into `StoreBusyError`.
 */
import type { Database as SqliteClient } from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { MarkChanges } from '../activity-index/mark-changes.js';
import { StoreBusyError } from '../store.js';
import { openSqlite, type SqliteOptions } from './open.js';
import type * as schema from './schema.js';

export interface SqliteConnection {
  readonly client: SqliteClient;
  readonly db: BetterSQLite3Database<typeof schema>;
  /** Cells whose subjects counter this connection changed, for the statistics caches (`activity-index/mark-changes.ts`). */
  readonly markChanges: MarkChanges;
  /** Runs `work` in an IMMEDIATE transaction (the write lock up front: no upgrade deadlocks). */
  writeTransaction<T>(work: () => T): T;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

export function connectSqlite(options: SqliteOptions): SqliteConnection {
  const { client, db } = openSqlite(options);
  return {
    client,
    db,
    markChanges: new MarkChanges(),
    writeTransaction(work) {
      try {
        return client.transaction(work).immediate();
      } catch (error) {
        if (isBusy(error)) throw new StoreBusyError({ cause: error });
        throw error;
      }
    },
  };
}
