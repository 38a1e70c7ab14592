/**
 * The daily partitions of `events` (migration 0008: range partitioning on `ts`, one partition
 * per UTC day, made by the SQL function `heed_event_partition`). Created ahead, at start and by
 * each retention run, and on demand when an insert finds its day missing; dropped whole by
 * retention when nothing in them must stay, which costs a catalog change instead of a delete
 * per row and leaves no dead rows for vacuum.
 */
import { DAY_MS } from '../../../aggregates/time-units.js';
import { protectedSubjects } from '../../rules/tables.js';
import type { PruneCut } from '../../store.js';
import type { PostgresConnection } from '../connection.js';

/** Days created ahead of today: a week of ingest needs no catalog change. */
const DAYS_AHEAD = 7;

const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * Whether a partition holds nothing that must stay after `cut` (parameters: project $1, before
 * $2, now $3). "Nothing arrived after the cut" as NOT EXISTS, not max(): `received_at` has a
 * BRIN index (migration 0010), which finds the few pages that could hold a later row but
 * cannot answer max() without reading the whole day.
 */
const DROPPABLE = (partition: string) => `
  SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM ${partition}) THEN TRUE
    ELSE NOT EXISTS (SELECT 1 FROM ${partition} WHERE received_at > $2)
      AND (SELECT min(project_id) FROM ${partition}) = $1 AND (SELECT max(project_id) FROM ${partition}) = $1
      AND NOT EXISTS (SELECT 1 FROM ${partition} e WHERE e.project_id = $1 AND e.pseudonym IN (${protectedSubjects({ project: '$1', before: '$2', now: '$3' })}))
  END AS droppable`;

export function createEventPartitions(connection: PostgresConnection) {
  const { sql } = connection;

  /** Creates the partitions of the days these timestamps fall on (those missing). */
  async function ensure(timestamps: readonly number[]): Promise<void> {
    const days = [...new Set(timestamps.map(dayOf))].sort((a, b) => a - b);
    if (days.length > 0) await sql`SELECT heed_event_partition(d) FROM unnest(${days}::bigint[]) AS d`;
  }

  /** Yesterday, today and the week ahead of `now`. */
  const ensureAhead = (now: number) => ensure(Array.from({ length: DAYS_AHEAD + 2 }, (_, n) => now + (n - 1) * DAY_MS));

  /**
   * Drops, oldest first, the day partitions that ended by `cut.before` and hold only rows of
   * `cut.project` that arrived by then, none of a restricted or held subject; returns the rows
   * they held. A partition that fails the check stays: row-level retention takes what may go
   * from it (retention.ts), and it is dropped once nothing in it must stay.
   */
  async function dropExpired(cut: PruneCut): Promise<number> {
    const names = await sql<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_[0-9]{8}$' ORDER BY c.relname`;
    const partitions = names.map(({ name }) => ({ name, day: Date.UTC(Number(name.slice(7, 11)), Number(name.slice(11, 13)) - 1, Number(name.slice(13, 15))) }));
    let dropped = 0;
    for (const { name, day } of partitions) {
      if (day + DAY_MS > cut.before) break;
      dropped += await connection.writeTransaction(async (tx) => {
        const [check] = await tx.unsafe<{ droppable: boolean }[]>(DROPPABLE(`"${name}"`), [cut.projectId, cut.before, cut.now]);
        if (!check?.droppable) return 0;
        const [{ n }] = await tx.unsafe<[{ n: number }]>(`SELECT count(*) AS n FROM "${name}"`);
        await tx.unsafe(`DROP TABLE "${name}"`);
        return n;
      });
    }
    return dropped;
  }

  return { ensure, ensureAhead, dropExpired };
}

export type EventPartitions = ReturnType<typeof createEventPartitions>;
