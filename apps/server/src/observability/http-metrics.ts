/**
 * Middleware that counts every request by method, matched route pattern and status, and
 * passes errors that escaped a handler to the store-error counter. The label is the pattern
 * a route was declared with (`/v1/stats/usage`), never the request path: an unknown path
 * may carry a token or an id, so it is counted as `unmatched`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from './metrics.js';

/** The route pattern that answers this request, or `unmatched` (404, 405). */
export function routeLabel(c: Context): string {
  // `use()` middleware is registered under method ALL; a handler under its own method.
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'unmatched';
}

/**
 * @example app.use(httpMetrics(services.metrics));
 */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Hono's compose has already turned a thrown error into the onError response here.
    if (c.error) metrics.errorSeen(c.error);
    metrics.httpRequest(c.req.method, routeLabel(c), c.res.status);
  };
}
