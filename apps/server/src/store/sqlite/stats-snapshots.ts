/**
 * Where the SQLite store keeps its statistics cache snapshots (`activity-index/snapshot/`):
 * a folder beside the database file, one file per project. A snapshot belongs with the file
 * it was taken from; the server drops one that the database contradicts, and deleting the
 * folder is always safe (the next first request reads everything again).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheSnapshots } from '../activity-index/snapshot/project-snapshot.js';

/** @example fileSnapshots('/data/heed.db') // keeps /data/heed.db-stats-cache/p_1.snapshot */
export function fileSnapshots(databasePath: string): CacheSnapshots {
  const folder = `${databasePath}-stats-cache`;
  // Project ids are generated (nanoid's alphabet), but a file name is no place to trust that.
  const fileOf = (projectId: string) => join(folder, `${encodeURIComponent(projectId)}.snapshot`);
  return {
    async read(projectId, use) {
      let fd: number;
      try {
        fd = openSync(fileOf(projectId), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        const { size } = fstatSync(fd);
        return use({
          size,
          readInto(position, target) {
            for (let at = 0; at < target.length; ) {
              const read = readSync(fd, target, at, target.length - at, position + at);
              if (read === 0) throw new Error('cache snapshot truncated while reading');
              at += read;
            }
          },
        });
      } finally {
        closeSync(fd);
      }
    },
    write(projectId, chunks) {
      mkdirSync(folder, { recursive: true });
      const file = fileOf(projectId);
      // Written whole under another name, then renamed: a reader never sees half a snapshot.
      const temporary = `${file}.${process.pid}.tmp`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        for (const chunk of chunks) for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    },
    remove(projectId) {
      rmSync(fileOf(projectId), { force: true });
    },
  };
}
