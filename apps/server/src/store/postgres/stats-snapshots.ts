/**
 * Where the PostgreSQL store keeps its statistics cache snapshots (`activity-index/snapshot/`):
 * a row per project in `stats_snapshots`, so a process that starts (a deploy, one more
 * process) restores the caches another one wrote instead of reading every mark and session.
 * An image is copied before the first await (its chunks are views on live caches); a
 * project's writes and deletes run in the order they were asked for.
 */
import { bytesSource } from '../activity-index/snapshot/cache-image.js';
import type { CacheSnapshots } from '../activity-index/snapshot/project-snapshot.js';
import type { PostgresConnection } from './connection.js';

/** Bytes per read: EXTERNAL storage (uncompressed TOAST, migration 0013) reads only the slice's chunks. */
const READ_SLICE = 1 << 20;

export function postgresSnapshots({ sql }: PostgresConnection): CacheSnapshots {
  /** Per project, the last write or delete asked for. */
  const last = new Map<string, Promise<unknown>>();
  const inOrder = (projectId: string, work: () => Promise<unknown>): Promise<void> => {
    const next = (last.get(projectId) ?? Promise.resolve()).catch(() => undefined).then(work);
    last.set(projectId, next);
    return next.then(() => undefined).finally(() => {
      if (last.get(projectId) === next) last.delete(projectId);
    });
  };
  return {
    async read(projectId, use) {
      // In slices, all from one snapshot (a write in between cannot tear the image): one
      // SELECT of a 7.7 MB image took 205-401 ms here, 1 MiB slices 118-283 ms.
      const image = await sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [head] = await tx<{ size: number }[]>`SELECT octet_length(image) AS size FROM stats_snapshots WHERE project_id = ${projectId}`;
        if (!head) return undefined;
        const bytes = Buffer.allocUnsafe(head.size);
        for (let at = 0; at < head.size; at += READ_SLICE) {
          const [row] = await tx<{ part: Buffer }[]>`SELECT substring(image FROM ${at + 1} FOR ${READ_SLICE}) AS part FROM stats_snapshots WHERE project_id = ${projectId}`;
          row!.part.copy(bytes, at);
        }
        return bytes;
      });
      return image && use(bytesSource(image));
    },
    write(projectId, chunks) {
      const image = Buffer.concat(chunks);
      return inOrder(projectId, () => sql`
        INSERT INTO stats_snapshots (project_id, image, written_at) VALUES (${projectId}, ${image}, ${Date.now()})
        ON CONFLICT (project_id) DO UPDATE SET image = excluded.image, written_at = excluded.written_at`);
    },
    remove(projectId) {
      return inOrder(projectId, () => sql`DELETE FROM stats_snapshots WHERE project_id = ${projectId}`);
    },
  };
}
