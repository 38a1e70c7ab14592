/**
 * CORS for a group of routes, with the semantics of hono's `cors()` (origin `*` or a list,
 * preflights answered 204 with the allowed methods, headers and max age, `Vary: Origin` when
 * the answer depends on the origin), but its headers set through `c.header()` before the
 * handler runs: hono's sets them on `c.res.headers`, which builds and merges extra web
 * `Response` objects on every request (see security-headers.ts for what that cost).
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** `*`, or the exact origins allowed (never `null`: config refuses it). */
  readonly origin: '*' | readonly string[];
  readonly allowMethods: readonly string[];
  /** Empty: a preflight may ask for any request headers. */
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds: number;
}

/**
 * @example app.use('/v1/batch', corsHeaders({ origin: '*', allowMethods: ['POST'], exposeHeaders: ['retry-after'], maxAgeSeconds: 86_400 }));
 */
export function corsHeaders(options: CorsOptions): MiddlewareHandler {
  const expose = options.exposeHeaders?.join(',') ?? '';
  const allowHeaders = options.allowHeaders?.join(',') ?? '';
  const methods = options.allowMethods.join(',');
  const allowed = (origin: string | undefined): string | undefined => {
    if (options.origin === '*') return '*';
    return origin !== undefined && options.origin.includes(origin) ? origin : undefined;
  };
  return async (c, next) => {
    const origin = allowed(c.req.header('origin'));
    if (origin) c.header('Access-Control-Allow-Origin', origin);
    if (expose) c.header('Access-Control-Expose-Headers', expose);
    // Who may read the answer depends on the request's origin unless every origin may. (Set,
    // not appended: nothing before CORS varies the answer, and running twice stays correct.)
    const vary = options.origin === '*' ? [] : ['Origin'];
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Max-Age', String(options.maxAgeSeconds));
      c.header('Access-Control-Allow-Methods', methods);
      const requested = c.req.header('access-control-request-headers');
      const headers = allowHeaders || requested?.split(',').map((name) => name.trim()).join(',');
      if (headers) {
        c.header('Access-Control-Allow-Headers', headers);
        vary.push('Access-Control-Request-Headers');
      }
      if (vary.length > 0) c.header('Vary', vary.join(', '));
      return c.body(null, 204);
    }
    if (vary.length > 0) c.header('Vary', vary.join(', '));
    await next();
  };
}
