/**
 * The security headers on every answer, as hono's `secureHeaders()` sets them by default
 * (with a cross-origin resource policy: the SDK script and the ingest routes are used from the
 * platform's own pages, on other origins; CORS still decides who may read what).
 *
 * Set before the handler runs, through `c.header()`, so they travel with the response the
 * handler builds. hono's middleware sets them on `c.res.headers` afterwards instead, which on
 * @hono/node-server turns every light response into a full web `Response` and its headers
 * into a `Headers` copy: with CORS done the same way, 16% of ingest throughput at batches of
 * 50 (bench/ingest-ab.ts). Answers built without `c` (none here; `problemResponse` takes
 * `c` for this reason) would not carry them; `http/security.test.ts` checks every kind.
 */
import type { MiddlewareHandler } from 'hono';

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/**
 * @example app.use(securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
  };
}
