/**
 * What every part of the SQLite store shares: the open connection, write transactions that
 * take the lock up front and turn lock time-outs into `StoreBusyError`, and the ledger append
 * that must run inside them.
 */
import type { Database as SqliteClient } from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { GENESIS_HASH, chainHash } from '../../ledger/chain.js';
import { StoreBusyError, type LedgerAppend } from '../store.js';
import { openSqlite, type SqliteOptions } from './open.js';
import type * as schema from './schema.js';

export interface SqliteConnection {
  readonly client: SqliteClient;
  readonly db: BetterSQLite3Database<typeof schema>;
  /** Runs `work` in an IMMEDIATE transaction (the write lock up front: no upgrade deadlocks). */
  writeTransaction<T>(work: () => T): T;
  /** Appends to the project's hash chain; call inside a write transaction. */
  appendLedger(entry: LedgerAppend): void;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

export function connectSqlite(options: SqliteOptions): SqliteConnection {
  const { client, db } = openSqlite(options);
  const lastHash = client.prepare<[string], { hash: string }>('SELECT hash FROM consent_ledger WHERE project_id = ? ORDER BY seq DESC LIMIT 1');
  const insertLedger = client.prepare(
    `INSERT INTO consent_ledger (project_id, pseudonym, action, policy_version, detail, at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    client,
    db,
    writeTransaction(work) {
      try {
        return client.transaction(work).immediate();
      } catch (error) {
        if (isBusy(error)) throw new StoreBusyError({ cause: error });
        throw error;
      }
    },
    appendLedger(entry) {
      const prevHash = lastHash.get(entry.projectId)?.hash ?? GENESIS_HASH;
      const detailJson = JSON.stringify(entry.detail);
      const hash = chainHash(prevHash, { ...entry, detailJson });
      insertLedger.run(entry.projectId, entry.pseudonym, entry.action, entry.policyVersion, detailJson, entry.at, prevHash, hash);
    },
  };
}
