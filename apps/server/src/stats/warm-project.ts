/**
 * Fills a project's statistics caches by asking every statistic over the span its marks and
 * sessions are kept (the policy's `activity` retention, at most 52 weeks), with the routes' own
 * queries so the caches fill for the edges and purposes requests use. `heed stats warm` runs it
 * once; the server's statistics keeper (`statistics-keeper.ts`) runs it on an interval.
 */
import { parseDuration, subtractDuration } from '@heed/policy';
import { WEEK_MS } from '../aggregates/time-units.js';
import type { Services } from '../services.js';
import { featureStats, featureTrends, heatmapStats, sessionStats, updateWindows, usageStats, type StatsContext } from './stats-service.js';
import { heatmapQuery, rangeOnlyQuery, trendsQuery, usageQuery, windowsQuery } from './stats-query.js';

/** The longest span a statistics query takes in weeks (`heatmapQuery`, `windowsQuery`). */
const MAX_WEEKS = 52;

/**
 * Asks every statistic of `projectId` as of `now`; returns the weeks asked. `signal` stops it
 * between statistics (a server shutting down does not wait for a whole cold fill).
 */
export async function warmProject(services: Pick<Services, 'store' | 'policies'>, projectId: string, now: number, signal?: AbortSignal): Promise<number> {
  const policy = (await services.policies.forProject(projectId)).document;
  const ctx: StatsContext = { stats: services.store.stats, policy, projectId, now };
  const kept = subtractDuration(now, parseDuration(policy.retention.activity)!);
  const weeks = Math.min(MAX_WEEKS, Math.max(1, Math.ceil((now - kept) / WEEK_MS)));
  const from = new Date(Math.max(kept, now - weeks * WEEK_MS)).toISOString();
  const statistics = [
    () => usageStats(ctx, usageQuery(now).parse({ from })),
    () => sessionStats(ctx, rangeOnlyQuery(now).parse({ from })),
    () => featureStats(ctx, rangeOnlyQuery(now).parse({ from })),
    () => featureTrends(ctx, trendsQuery(now).parse({ from })),
    () => heatmapStats(ctx, heatmapQuery.parse({ weeks: String(weeks) })),
    () => updateWindows(ctx, windowsQuery.parse({ weeks: String(weeks) })),
  ];
  for (const ask of statistics) {
    signal?.throwIfAborted();
    await ask();
  }
  return weeks;
}
