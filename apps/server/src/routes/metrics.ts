/**
 * `GET /metrics` for Prometheus. Who may read it: with `HEED_METRICS_TOKEN` set, whoever
 * presents it as `Authorization: Bearer <token>` (from any address, for a scraper on
 * another machine); without it, only clients on the server's own machine (a loopback peer
 * address), so a server bound to a public address does not publish its counters. The
 * counters carry no personal data, but traffic volume per route is still the operator's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { HttpProblem } from '../http/problem.js';
import type { Services } from '../services.js';

/** A loopback peer: 127.0.0.0/8, ::1, or either as an IPv4-mapped IPv6 address. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const bare = address.replace(/^::ffff:/i, '');
  return bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The peer address from @hono/node-server's bindings; undefined off Node (app.request()). */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: IncomingMessage; server?: { incoming?: IncomingMessage } } | undefined;
  return (env?.server?.incoming ?? env?.incoming)?.socket.remoteAddress;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * @example app.route('/', metricsRoutes(services, { token: config.metricsToken }));
 */
export function metricsRoutes(services: Services, options: { token: string | undefined }) {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const authorise = (c: Context) => {
    if (expected === undefined) {
      if (isLoopback(peerAddress(c))) return;
      throw new HttpProblem('forbidden', { detail: 'Metrics are served to this machine only; set HEED_METRICS_TOKEN to scrape from elsewhere.' });
    }
    const presented = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    // Compare digests in constant time: equal lengths, and no early exit on a prefix.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new HttpProblem('unauthorized', { detail: 'Present the metrics token as "Authorization: Bearer <token>".', headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
    }
  };
  return new Hono().get('/metrics', async (c) => {
    authorise(c);
    return c.body(await services.metrics.render(), 200, { 'content-type': services.metrics.contentType, 'cache-control': 'no-store' });
  });
}
