/**
 * The statistics routes (analyst key, `Authorization: Bearer <key>`): validate the query,
 * call the domain function, respond. A write or admin key gets 401: it is not an analyst key.
 */
import { Hono, type Context } from 'hono';
import { bearerAuth } from '../http/bearer.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { heatmapQuery, rangeOnlyQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import {
  featureStats,
  heatmapStats,
  sessionStats,
  updateWindows,
  usageStats,
  type StatsContext,
} from '../stats/stats-service.js';

type Env = { Variables: { projectId: string } };

export function statsRoutes(services: Services) {
  const authorise = bearerAuth<'projectId', string>('projectId', {
    what: 'an analyst key',
    realm: 'stats',
    verify: async (key) => (await services.keys.lookup(key, 'analyst'))?.projectId,
  });
  // The project's policy in force: its k and purposes (a project may carry its own).
  const context = async (c: Context<Env>): Promise<StatsContext> => ({
    stats: services.store.stats,
    policy: (await services.policies.forProject(c.get('projectId'))).document,
    projectId: c.get('projectId'),
    now: services.clock.now(),
  });
  return new Hono<Env>()
    .use('/v1/stats/*', authorise, async (c, next) => {
      await next();
      // Statistics change with every batch and belong to one key holder.
      c.header('cache-control', 'private, no-store');
    })
    .get('/v1/stats/usage', async (c) => {
      const ctx = await context(c);
      return c.json(await usageStats(ctx, validate(usageQuery(ctx.now), c.req.query())));
    })
    .get('/v1/stats/sessions', async (c) => {
      const ctx = await context(c);
      return c.json(await sessionStats(ctx, validate(rangeOnlyQuery(ctx.now), c.req.query())));
    })
    .get('/v1/stats/features', async (c) => {
      const ctx = await context(c);
      return c.json(await featureStats(ctx, validate(rangeOnlyQuery(ctx.now), c.req.query())));
    })
    .get('/v1/stats/heatmap', async (c) => c.json(await heatmapStats(await context(c), validate(heatmapQuery, c.req.query()))))
    .get('/v1/stats/update-windows', async (c) => c.json(await updateWindows(await context(c), validate(windowsQuery, c.req.query()))));
}
