/**
 * `heed stats warm [--project ID]`: fills the statistics caches of every project (or of one,
 * `stats/warm-project.ts`), and the store writes their snapshot as the command closes it. A
 * server then restores that snapshot on its first statistics request and reads only what
 * changed since, instead of every mark and session of the project: seconds at 100,000 subjects.
 * A running server keeps its own caches filled (`HEED_STATS_KEEP_INTERVAL_MS`); run this after an
 * upgrade from a version without snapshots or one that changed their layout, or after deleting
 * them, before the server starts (docs/stats.md, "Snapshots").
 */
import { ConfigError } from '../config.js';
import type { Services } from '../services.js';
import { warmProject } from '../stats/warm-project.js';

/** Fills the caches of each project; returns the exit code. */
export async function warmStatistics(services: Services, only: string | undefined, out: (chunk: string) => void): Promise<number> {
  const projects = (await services.store.listProjects()).map((project) => project.id);
  if (only !== undefined && !projects.includes(only)) throw new ConfigError(`no project ${only}`);
  const now = services.clock.now();
  for (const projectId of only === undefined ? projects : [only]) {
    const started = performance.now();
    const weeks = await warmProject(services, projectId, now);
    out(`${projectId}: statistics over ${weeks} weeks read in ${((performance.now() - started) / 1_000).toFixed(1)} s\n`);
  }
  return 0;
}
