/**
 * Up to migration 0011 the SQLite store kept its snapshots in a folder beside the database
 * (`<path>-stats-cache/<project>.snapshot`). On open, each file moves into `stats_snapshots`
 * (unless the project already has rows there, which are newer) and the folder is deleted: an
 * upgrade keeps its fast first requests, and no copy of the subjects it named stays in a file
 * nothing reads any more.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteConnection } from './connection.js';
import { sqliteSnapshots } from './stats-snapshots.js';

const SUFFIX = '.snapshot';

/** @returns the projects whose snapshot moved into the database. */
export function moveSnapshotFolder(databasePath: string, connection: SqliteConnection): string[] {
  const folder = `${databasePath}-stats-cache`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    // No folder: nothing to move (the usual case), or another process moved it first.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const has = connection.client.prepare<[string], { n: number }>('SELECT count(*) AS n FROM stats_snapshots WHERE project_id = ?');
  const snapshots = sqliteSnapshots(connection);
  const moved: string[] = [];
  for (const name of names.filter((file) => file.endsWith(SUFFIX))) {
    const projectId = decodeURIComponent(name.slice(0, -SUFFIX.length));
    let image: Buffer;
    try {
      image = readFileSync(join(folder, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // The check and the write in one transaction (the write's own nests in it as a savepoint).
    connection.writeTransaction(() => {
      if (has.get(projectId)!.n > 0) return;
      void snapshots.write(projectId, [image]);
      moved.push(projectId);
    });
  }
  // Half-written files (`*.tmp`) of a process that died mid-write go with it.
  rmSync(folder, { recursive: true, force: true });
  return moved;
}
