/**
 * `heed restore` on SQLite: puts a `heed backup` copy in place of the database, but only while
 * no process has the database open (a running server would go on with caches and a WAL of the
 * file it replaced), and first reads from the database it replaces who restricted processing
 * since (erased, restricted, withdrawn, objected): a backup knows nothing of the requests made
 * after it was taken, and the caller applies them again (`rights/carry-over.ts`).
 */
import { chmodSync, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RestoreRefusedError } from '../restore-refused-error.js';
import type { RestrictiveState } from '../rows/subject-rows.js';
import { RESTRICTIVE_STATES_SQL, toRestrictiveState, type RestrictiveStateRow } from '../rules/restrictive-states.js';

export interface SqliteRestore {
  readonly bytes: number;
  /** What the replaced database held that restricts processing; undefined when it could not be read. */
  readonly restrictive: readonly RestrictiveState[] | undefined;
}

/** A Heed database: one SQLite file whose pages check out, with the tables migrations make. */
function checkBackup(from: string): void {
  if (!existsSync(from)) throw new RestoreRefusedError(`${from} does not exist`);
  let file: Database.Database;
  try {
    file = new Database(from, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RestoreRefusedError(`${from} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    const check = file.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new RestoreRefusedError(`${from} is damaged: ${String(check)}`);
    const tables = file.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('projects', 'subjects', '__drizzle_migrations')").get() as { n: number };
    if (tables.n !== 3) throw new RestoreRefusedError(`${from} is not a Heed database (no projects, subjects or migrations table)`);
  } catch (error) {
    if (error instanceof RestoreRefusedError) throw error;
    throw new RestoreRefusedError(`${from} is not a SQLite database: ${(error as Error).message}`);
  } finally {
    file.close();
  }
}

/**
 * The replaced database's restrictive states, read under an exclusive lock: taking it fails at
 * once while any other connection has the file open, which is the check that no server runs.
 * A file that cannot be read (the reason for restoring, perhaps) gives undefined.
 */
function readRestrictive(target: string): readonly RestrictiveState[] | undefined {
  let file: Database.Database;
  try {
    file = new Database(target, { fileMustExist: true, timeout: 0 });
  } catch {
    return undefined;
  }
  try {
    file.pragma('locking_mode = EXCLUSIVE');
    file.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    file.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new RestoreRefusedError(`${target} is open in another process: stop the server (and any heed command) first`);
    return undefined;
  }
  try {
    return (file.prepare(RESTRICTIVE_STATES_SQL).all() as RestrictiveStateRow[]).map(toRestrictiveState);
  } catch {
    return undefined;
  } finally {
    file.close();
  }
}

/**
 * @example restoreSqlite('/data/heed.db', '/backups/heed-2026-12-05.db') // { bytes: 26382336, restrictive: [...] }
 */
export function restoreSqlite(target: string, from: string): SqliteRestore {
  checkBackup(from);
  const restrictive = existsSync(target) ? readRestrictive(target) : [];
  // Copied beside the target, then renamed over it: the database is the old file or the new one.
  const copy = `${target}.restoring`;
  copyFileSync(from, copy);
  chmodSync(copy, 0o600);
  // The WAL and its index belong to the file being replaced: replayed onto the copy they would damage it.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(copy, target);
  return { bytes: statSync(target).size, restrictive };
}
