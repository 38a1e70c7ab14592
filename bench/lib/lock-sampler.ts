/**
 * Samples `pg_stat_activity` while a run writes: every `everyMs`, each active backend of the
 * database (but the sampler) counts as one sample, and as a lock wait when it waits on a
 * heavyweight lock (`wait_event_type = 'Lock'`: a row, a transaction id, a tuple), the kind two
 * writers queueing on one counter row show.
 */
import type { Sql } from 'postgres';

export interface LockSamples {
  readonly samples: number;
  readonly lockWaits: number;
  /** Lock waits by wait event (`transactionid`, `tuple`, ...). */
  readonly byEvent: Record<string, number>;
}

/**
 * @example const stop = sampleLockWaits(sql); ...run...; const { samples, lockWaits } = await stop();
 */
export function sampleLockWaits(sql: Sql, everyMs = 10): () => Promise<LockSamples> {
  let samples = 0;
  let lockWaits = 0;
  const byEvent: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await sql<{ wait_event_type: string | null; wait_event: string | null }[]>`
        SELECT wait_event_type, wait_event FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
      for (const row of rows) {
        samples++;
        if (row.wait_event_type === 'Lock') {
          lockWaits++;
          byEvent[row.wait_event ?? '?'] = (byEvent[row.wait_event ?? '?'] ?? 0) + 1;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return { samples, lockWaits, byEvent };
  };
}
