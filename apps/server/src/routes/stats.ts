/**
 * The statistics routes (analyst key, `Authorization: Bearer <key>`): validate the query,
 * call the domain function, respond. A write or admin key gets 401: it is not an analyst key.
 */
import { Hono, type Context, type Next } from 'hono';
import { HttpProblem } from '../http/problem.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { heatmapQuery, rangeOnlyQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import {
  featureStats,
  heatmapStats,
  sessionStats,
  StatsRangeError,
  updateWindows,
  usageStats,
  type StatsContext,
} from '../stats/stats-service.js';

type Env = { Variables: { projectId: string } };

export function statsRoutes(services: Services) {
  const authorise = async (c: Context<Env>, next: Next) => {
    const key = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    c.set('projectId', await services.keys.resolve(key, 'analyst'));
    await next();
    // Statistics change with every batch and belong to one key holder.
    c.header('cache-control', 'private, no-store');
  };
  const context = (c: Context<Env>): StatsContext => ({
    stats: services.store.stats,
    policy: services.policy,
    projectId: c.get('projectId'),
    now: services.clock.now(),
  });
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StatsRangeError) throw new HttpProblem('validation', { detail: error.message, cause: error });
      throw error;
    }
  };

  return new Hono<Env>()
    .use('/v1/stats/*', authorise)
    .get('/v1/stats/usage', async (c) => {
      const ctx = context(c);
      return c.json(await run(() => usageStats(ctx, validate(usageQuery(ctx.now), c.req.query()))));
    })
    .get('/v1/stats/sessions', async (c) => {
      const ctx = context(c);
      return c.json(await run(() => sessionStats(ctx, validate(rangeOnlyQuery(ctx.now), c.req.query()))));
    })
    .get('/v1/stats/features', async (c) => {
      const ctx = context(c);
      return c.json(await run(() => featureStats(ctx, validate(rangeOnlyQuery(ctx.now), c.req.query()))));
    })
    .get('/v1/stats/heatmap', async (c) => c.json(await heatmapStats(context(c), validate(heatmapQuery, c.req.query()))))
    .get('/v1/stats/update-windows', async (c) => c.json(await updateWindows(context(c), validate(windowsQuery, c.req.query()))));
}
