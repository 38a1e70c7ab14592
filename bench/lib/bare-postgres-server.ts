/**
 * The floor for an ingest server on PostgreSQL: a bare Hono route on @hono/node-server that
 * parses the batch body and writes its events with one multi-row INSERT per request (the raw
 * floor's statement, `raw-postgres.ts`), in its own process like `heed serve`. No validation,
 * identity, sessions, aggregates or group commit. `ingest-postgres.ts` loads one and two of
 * these as it loads Heed, so what a second process costs per event on this machine, for any
 * Node server that talks to PostgreSQL, is measured beside what it costs Heed.
 *
 *   node --import tsx lib/bare-postgres-server.ts <port> <database url>
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { RAW_EVENTS_TABLE } from './raw-postgres.js';

interface BatchEvent {
  id: string; type: string; ts: number; sessionId: string; subject: string;
  name?: string; durationMs?: number; activeMs?: number; props?: unknown;
}

const port = Number(process.argv[2] ?? 18_789);
const sql = postgres(process.argv[3]!, { max: 10, onnotice: () => {} });
await sql.unsafe(RAW_EVENTS_TABLE);

const app = new Hono().post('/v1/batch', async (c) => {
  const body = JSON.parse(await c.req.text()) as { events: BatchEvent[] };
  const receivedAt = Date.now();
  const rows = body.events.map((event) => ({
    project_id: 'p_bare', id: event.id, pseudonym: event.subject, session_id: event.sessionId, type: event.type, ts: event.ts,
    received_at: receivedAt, name: event.name ?? null, duration_ms: event.durationMs ?? null, active_ms: event.activeMs ?? null,
    props: event.props === undefined ? null : JSON.stringify(event.props), purposes: 'statistics',
  }));
  await sql.begin((tx) => tx`INSERT INTO raw_events ${tx(rows)} ON CONFLICT DO NOTHING`);
  return c.json({ accepted: rows.length });
});

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on ${port}`));
