/**
 * Where the PostgreSQL store keeps its statistics cache snapshots (`activity-index/snapshot/`):
 * rows of `stats_snapshots`, a project's image in parts of 1 MiB, so a process that starts (a
 * deploy, one more process) restores the caches another one wrote instead of reading every
 * mark and session.
 *
 * A write is one transaction of one statement per part, part 0 first, so concurrent writers
 * of a project queue on its row and one of them wins whole; a read is one statement, so it
 * sees one writer's parts, and no message carries more than a part. When a write happens is
 * the keeper's choice (`snapshot-keeper.ts`: once requests are quiet): whole or in parts, a
 * write among a dashboard's requests raised their p95 on PostgreSQL.
 */
import { imageParts, partsSource } from '../activity-index/snapshot/image-parts.js';
import type { CacheSnapshots } from '../activity-index/snapshot/project-snapshot.js';
import type { PostgresConnection } from './connection.js';

export function postgresSnapshots({ sql }: PostgresConnection): CacheSnapshots {
  /** Per project, the last write or delete asked for: they run in the order asked. */
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
      const rows = await sql<{ part: number; bytes: Buffer }[]>`SELECT part, bytes FROM stats_snapshots WHERE project_id = ${projectId} ORDER BY part`;
      if (rows.length === 0) return undefined;
      if (rows.some((row, index) => row.part !== index)) throw new Error('cache snapshot parts missing');
      return use(partsSource(rows.map((row) => row.bytes.length), (part) => rows[part]!.bytes));
    },
    write(projectId, chunks) {
      // Copied before the first await: the chunks are views on live caches.
      const parts = [...imageParts(chunks)];
      return inOrder(projectId, () =>
        sql.begin(async (tx) => {
          const at = Date.now();
          for (const [part, bytes] of parts.entries()) {
            await tx`
              INSERT INTO stats_snapshots (project_id, part, bytes, written_at) VALUES (${projectId}, ${part}, ${bytes}, ${at})
              ON CONFLICT (project_id, part) DO UPDATE SET bytes = excluded.bytes, written_at = excluded.written_at`;
          }
          await tx`DELETE FROM stats_snapshots WHERE project_id = ${projectId} AND part >= ${parts.length}`;
        }),
      );
    },
    remove(projectId) {
      return inOrder(projectId, () => sql`DELETE FROM stats_snapshots WHERE project_id = ${projectId}`);
    },
  };
}
