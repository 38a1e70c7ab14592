/**
 * The HTTP floor for ingest: a bare Hono route on @hono/node-server that reads the same
 * batch body and answers 204, in its own process like `heed serve`. What Heed's ingest
 * costs beyond this is validation, pseudonymisation, the policy decision and the store.
 *
 *   node --import tsx lib/bare-hono.ts <port>
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().post('/v1/batch', async (c) => {
  await c.req.text();
  return c.body(null, 204);
});

const port = Number(process.argv[2] ?? 18_788);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on ${port}`));
