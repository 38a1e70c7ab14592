/**
 * Bearer authentication as one middleware, after hono's `bearer-auth` (the verification is
 * injected): the routes that take a key or token in `Authorization: Bearer <credential>`
 * (statistics, admin, backend, the subject's own `/v1/me`, metrics) parse it here once. What
 * `verify` returns lands in `c.var[name]`; undefined is a 401 problem naming what to present.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HttpProblem } from './problem.js';

const BEARER = /^Bearer (\S+)$/;

/**
 * The credential of an `Authorization: Bearer <credential>` header, or undefined.
 *
 * @example bearerCredential('Bearer heed_an_x_y') // 'heed_an_x_y'
 */
export function bearerCredential(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

export interface BearerOptions<V> {
  /** What the 401 asks for, e.g. 'an analyst key': "Present <what> as ...". */
  readonly what: string;
  /** The `realm` of the WWW-Authenticate challenge. */
  readonly realm: string;
  /** The caller's identity for this credential, or undefined to refuse it. */
  verify(credential: string, c: Context): Promise<V | undefined> | V | undefined;
}

/**
 * @example app.use('/v1/stats/*', bearerAuth('projectId', { what: 'an analyst key', realm: 'stats', verify: (key) => keys.lookup(key, 'analyst') }))
 */
export function bearerAuth<K extends string, V>(name: K, options: BearerOptions<V>): MiddlewareHandler<{ Variables: Record<K, V> }> {
  return async (c, next) => {
    const credential = bearerCredential(c.req.header('authorization'));
    const verified = credential === undefined ? undefined : await options.verify(credential, c);
    if (verified === undefined) {
      throw new HttpProblem('unauthorized', {
        detail: `Present ${options.what} as "Authorization: Bearer <credential>".`,
        headers: { 'www-authenticate': `Bearer realm="${options.realm}"` },
      });
    }
    c.set(name, verified);
    await next();
  };
}
