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
import { bearerAuth } from '../http/bearer.js';
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
  const serve = (c: Context) => services.metrics.render().then((text) => c.body(text, 200, { 'content-type': services.metrics.contentType, 'cache-control': 'no-store' }));
  if (options.token === undefined) {
    return new Hono().get('/metrics', (c) => {
      if (!isLoopback(peerAddress(c))) {
        throw new HttpProblem('forbidden', { detail: 'Metrics are served to this machine only; set HEED_METRICS_TOKEN to scrape from elsewhere.' });
      }
      return serve(c);
    });
  }
  const expected = digest(options.token);
  // Compare digests in constant time: equal lengths, and no early exit on a prefix.
  const authorise = bearerAuth('scraper', { what: 'the metrics token', realm: 'metrics', verify: (token) => (timingSafeEqual(digest(token), expected) ? true : undefined) });
  return new Hono().get('/metrics', authorise, serve);
}
