/**
 * Where the SQLite store keeps its statistics cache snapshots (`activity-index/snapshot/`):
 * rows of `stats_snapshots` in the database file, a project's image in parts, as on
 * PostgreSQL. In the file, a snapshot goes wherever the database goes (a backup, a restore gets
 * the snapshot of its own moment, never one ahead of it), and a snapshot rewritten after an
 * erasure zeroes the old one's pages (`secure_delete`, open.ts), where a rewritten file left
 * its blocks to the filesystem.
 *
 * A write is one IMMEDIATE transaction and a read one read transaction, so a reader sees one
 * writer's parts; a read takes a part at a time, as the image's sections need them.
 */
import { imageParts, partsSource } from '../activity-index/snapshot/image-parts.js';
import type { CacheSnapshots } from '../activity-index/snapshot/project-snapshot.js';
import type { SqliteConnection } from './connection.js';

/** The page cache a snapshot is read with (negative: KiB, as `cache_size` takes it). */
const READ_CACHE_KIB = -1024;

/**
 * Bytes per row here (PostgreSQL's parts are 1 MiB, a statement each). better-sqlite3 hands each
 * part over as a new Buffer that lives until the next garbage collection: parts of 1 MiB left a
 * restarted server at 100,000 subjects 304-305 MB after its requests, parts of 64 KiB 275-300
 * (the snapshot in a file: 292-296; three runs of bench/queries.ts each).
 */
export const SQLITE_PART_BYTES = 1 << 16;

export function sqliteSnapshots({ client, writeTransaction }: SqliteConnection): CacheSnapshots {
  const sizes = client.prepare<[string], { part: number; bytes: number }>('SELECT part, length(bytes) AS bytes FROM stats_snapshots WHERE project_id = ? ORDER BY part');
  const partAt = client.prepare<[string, number], { bytes: Buffer }>('SELECT bytes FROM stats_snapshots WHERE project_id = ? AND part = ?');
  const insert = client.prepare<[string, number, Buffer, number]>('INSERT INTO stats_snapshots (project_id, part, bytes, written_at) VALUES (?, ?, ?, ?)');
  const remove = client.prepare<[string]>('DELETE FROM stats_snapshots WHERE project_id = ?');
  return {
    async read(projectId, use) {
      // The image passes through SQLite's page cache once, on its way into the caches' arrays:
      // read with a small cache, it reuses a few pages instead of filling 32 MiB (open.ts) with
      // pages nothing reads again.
      const cacheSize = client.pragma('cache_size', { simple: true }) as number;
      client.pragma(`cache_size = ${READ_CACHE_KIB}`);
      try {
        return client.transaction(() => {
          const parts = sizes.all(projectId);
          if (parts.length === 0) return undefined;
          if (parts.some((row, index) => row.part !== index)) throw new Error('cache snapshot parts missing');
          return use(partsSource(parts.map((row) => row.bytes), (part) => partAt.get(projectId, part)!.bytes));
        })();
      } finally {
        client.pragma(`cache_size = ${cacheSize}`);
      }
    },
    write(projectId, chunks) {
      // Synchronous: the chunks are views on live caches, read whole before anything else runs.
      writeTransaction(() => {
        const at = Date.now();
        remove.run(projectId);
        let part = 0;
        for (const bytes of imageParts(chunks, SQLITE_PART_BYTES)) insert.run(projectId, part++, bytes, at);
      });
    },
    remove(projectId) {
      writeTransaction(() => remove.run(projectId));
    },
  };
}
