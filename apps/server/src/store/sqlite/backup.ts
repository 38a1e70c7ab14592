/**
 * `heed backup` on SQLite: SQLite's online backup, which copies the database page by page
 * while the server goes on writing (a write by another connection restarts the copy; the
 * server's own writes go into it), so the copy is one consistent moment. Pages are copied as
 * they are: what `secure_delete` zeroed (an erasure, a retention run) stays zeroed in the copy,
 * and the statistics snapshot in `stats_snapshots` comes along, so a server started on a
 * restored copy answers its first statistics requests from it.
 */
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import type { Database as SqliteClient } from 'better-sqlite3';
import { BackupTargetExistsError, type BackupReport } from '../store.js';

export async function backupSqlite(client: SqliteClient, to: string): Promise<BackupReport> {
  try {
    // Created here, only readable by its owner (it holds pseudonyms and the ledger), and only if new.
    closeSync(openSync(to, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupTargetExistsError(to);
    throw error;
  }
  try {
    await client.backup(to);
  } catch (error) {
    // Half a copy is no backup: nobody should find it and restore it.
    rmSync(to, { force: true });
    throw error;
  }
  return { file: to, bytes: statSync(to).size };
}
