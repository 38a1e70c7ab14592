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
      const [row] = await sql<{ image: Buffer }[]>`SELECT image FROM stats_snapshots WHERE project_id = ${projectId}`;
      return row && use(bytesSource(row.image));
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
