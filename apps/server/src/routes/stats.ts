/**
 * The statistics routes (analyst key, `Authorization: Bearer <key>`): validate the query,
 * call the domain function, respond: JSON, or with `?format=csv` the answer's rows as CSV
 * (`stats/stats-rows.ts`, what the dashboard downloads and the CLI prints). A write or admin
 * key gets 401: it is not an analyst key.
 */
import { Hono, type Context } from 'hono';
import { bearerAuth } from '../http/bearer.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { heatmapQuery, rangeOnlyQuery, trendsQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';
import { csv, featureRows, heatmapRows, sessionRows, trendRows, usageRows, windowRows, type Row } from '../stats/stats-rows.js';
import {
  featureStats,
  featureTrends,
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
  /** The answer as JSON, or its rows as a CSV download named after the route. */
  const respond = <T>(c: Context<Env>, format: 'json' | 'csv', name: string, answer: T, rows: (answer: T) => Row[]) => {
    if (format === 'json') return c.json(answer);
    return c.body(csv(rows(answer)), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="heed-${name}.csv"` });
  };
  return new Hono<Env>()
    .use('/v1/stats/*', authorise, async (c, next) => {
      await next();
      // Statistics change with every batch and belong to one key holder.
      c.header('cache-control', 'private, no-store');
    })
    .get('/v1/stats/usage', async (c) => {
      const ctx = await context(c);
      const query = validate(usageQuery(ctx.now), c.req.query());
      return respond(c, query.format, 'usage', await usageStats(ctx, query), usageRows);
    })
    .get('/v1/stats/sessions', async (c) => {
      const ctx = await context(c);
      const query = validate(rangeOnlyQuery(ctx.now), c.req.query());
      return respond(c, query.format, 'sessions', await sessionStats(ctx, query), sessionRows);
    })
    .get('/v1/stats/features', async (c) => {
      const ctx = await context(c);
      const query = validate(rangeOnlyQuery(ctx.now), c.req.query());
      return respond(c, query.format, 'features', await featureStats(ctx, query), featureRows);
    })
    .get('/v1/stats/feature-trends', async (c) => {
      const ctx = await context(c);
      const query = validate(trendsQuery(ctx.now), c.req.query());
      return respond(c, query.format, 'feature-trends', await featureTrends(ctx, query), trendRows);
    })
    .get('/v1/stats/heatmap', async (c) => {
      const query = validate(heatmapQuery, c.req.query());
      return respond(c, query.format, 'heatmap', await heatmapStats(await context(c), query), heatmapRows);
    })
    .get('/v1/stats/update-windows', async (c) => {
      const query = validate(windowsQuery, c.req.query());
      return respond(c, query.format, 'update-windows', await updateWindows(await context(c), query), windowRows);
    });
}
