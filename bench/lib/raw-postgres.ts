/**
 * The storage floor for ingest on PostgreSQL: the same event-shaped rows as Heed's batches,
 * written by postgres.js with one multi-row INSERT per transaction of `batchSize` rows over
 * `connections` connections, keyed (project, ts, id) like Heed's events, for `seconds`. No
 * validation, sessions, aggregates or HTTP: what the database takes at most.
 */
import { nanoid } from 'nanoid';
import postgres from 'postgres';

/** The floor's table, keyed like Heed's events; `bare-postgres-server.ts` writes it too. */
export const RAW_EVENTS_TABLE = `CREATE TABLE IF NOT EXISTS raw_events (
  project_id text NOT NULL, id text NOT NULL, pseudonym text NOT NULL, session_id text NOT NULL, type text NOT NULL,
  ts bigint NOT NULL, received_at bigint NOT NULL, name text, duration_ms bigint, active_ms bigint, props text, purposes text NOT NULL,
  PRIMARY KEY (project_id, ts, id))`;

/** Rows per second the floor wrote. */
export async function rawPostgresInsert(options: { url: string; batchSize: number; connections: number; seconds: number }): Promise<number> {
  const sql = postgres(options.url, { max: options.connections, onnotice: () => {} });
  try {
    await sql.unsafe(RAW_EVENTS_TABLE);
    const subject = 'x'.repeat(43);
    const rows = () => {
      const now = Date.now();
      const sessionId = nanoid();
      return Array.from({ length: options.batchSize }, (_, n) => ({
        project_id: 'p_raw', id: nanoid(), pseudonym: subject, session_id: sessionId, type: n % 10 === 0 ? 'track' : 'heartbeat', ts: now - n, received_at: now,
        name: n % 10 === 0 ? 'report.exported' : null, duration_ms: n % 10 === 0 ? 420 : null, active_ms: n % 10 === 0 ? null : 15_000,
        props: n % 10 === 0 ? '{"format":"pdf"}' : null, purposes: 'statistics',
      }));
    };
    const insert = () => sql.begin((tx) => tx`INSERT INTO raw_events ${tx(rows())}`);
    await Promise.all(Array.from({ length: options.connections }, insert)); // connect and prepare
    let written = 0;
    const deadline = Date.now() + options.seconds * 1_000;
    const started = Date.now();
    await Promise.all(Array.from({ length: options.connections }, async () => {
      while (Date.now() < deadline) {
        await insert();
        written += options.batchSize;
      }
    }));
    return written / ((Date.now() - started) / 1_000);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
