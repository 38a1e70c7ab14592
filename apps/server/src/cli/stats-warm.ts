/**
 * `heed stats warm [--project ID]`: asks every statistic of every project (or of one) over the
 * span its marks and sessions are kept (the policy's `activity` retention, at most 52 weeks),
 * so the statistics caches fill, and the store writes their snapshot as the command closes it.
 * A server then restores that snapshot on its first statistics request and reads only what
 * changed since, instead of every mark and session of the project: seconds at 100,000 subjects.
 * Run it after an upgrade from a version without snapshots or one that changed their layout, or
 * after deleting them (docs/stats.md, "Snapshots"); where there is one it reads only the changes.
 */
import { parseDuration, subtractDuration } from '@heed/policy';
import { WEEK_MS } from '../aggregates/time-units.js';
import { ConfigError } from '../config.js';
import type { Services } from '../services.js';
import { featureStats, featureTrends, heatmapStats, sessionStats, updateWindows, usageStats, type StatsContext } from '../stats/stats-service.js';
import { heatmapQuery, rangeOnlyQuery, trendsQuery, usageQuery, windowsQuery } from '../stats/stats-query.js';

/** The longest span a statistics query takes in weeks (`heatmapQuery`, `windowsQuery`). */
const MAX_WEEKS = 52;

/** Fills the caches of each project; returns the exit code. */
export async function warmStatistics(services: Services, only: string | undefined, out: (chunk: string) => void): Promise<number> {
  const projects = (await services.store.listProjects()).map((project) => project.id);
  if (only !== undefined && !projects.includes(only)) throw new ConfigError(`no project ${only}`);
  const now = services.clock.now();
  for (const projectId of only === undefined ? projects : [only]) {
    const started = performance.now();
    const policy = (await services.policies.forProject(projectId)).document;
    const ctx: StatsContext = { stats: services.store.stats, policy, projectId, now };
    const kept = subtractDuration(now, parseDuration(policy.retention.activity)!);
    const weeks = Math.min(MAX_WEEKS, Math.max(1, Math.ceil((now - kept) / WEEK_MS)));
    const from = new Date(Math.max(kept, now - weeks * WEEK_MS)).toISOString();
    // The routes' own queries, so the caches fill for the edges and purposes requests use.
    await usageStats(ctx, usageQuery(now).parse({ from }));
    await sessionStats(ctx, rangeOnlyQuery(now).parse({ from }));
    await featureStats(ctx, rangeOnlyQuery(now).parse({ from }));
    await featureTrends(ctx, trendsQuery(now).parse({ from }));
    await heatmapStats(ctx, heatmapQuery.parse({ weeks: String(weeks) }));
    await updateWindows(ctx, windowsQuery.parse({ weeks: String(weeks) }));
    out(`${projectId}: statistics over ${weeks} weeks read in ${((performance.now() - started) / 1_000).toFixed(1)} s\n`);
  }
  return 0;
}
