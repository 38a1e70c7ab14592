/**
 * The statistics routes of two server builds on one kept dataset, alternately, in the same
 * minutes: on a shared 2-core machine, figures taken minutes apart differ more than most
 * changes do. Each round starts one server per build on the dataset (one at a time), times
 * every route as `queries.ts` does, and closes it; the table gives the median over rounds of
 * each build's p50 and p95, beside the /healthz floor, with the load averages around them.
 *
 * The other build is a copy of another commit's `apps/server/dist` placed beside it (it then
 * resolves its dependencies from `apps/server/node_modules`):
 *
 *   cp -r apps/server/dist apps/server/dist-before   # built at the other commit
 *   pnpm --filter @heed/bench exec tsx queries-ab.ts --data-dir DIR --other ../apps/server/dist-before [--rounds 3] [--samples 200] [--churn]
 *
 * A build from before a migration cannot open a dataset the newer build has migrated: make the
 * dataset with the older build, copy it, and give the other build its own copy
 * (`--other-data-dir COPY`); this build migrates DIR when it first opens it.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as current from '@heed/server/testing';
import { churn, measureRoutes, type RouteFigure } from './queries.js';
import { fmt, median } from './lib/stats.js';

const DAY = 86_400_000;
// As `queries.ts`: no rate limit between the timed requests.
const ENV = { HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', HEED_LOG_LEVEL: 'warn' };
const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'other-data-dir': { type: 'string' }, other: { type: 'string' }, rounds: { type: 'string', default: '3' }, samples: { type: 'string', default: '200' }, churn: { type: 'boolean', default: false } },
});
if (!values['data-dir'] || !values.other) throw new Error('usage: tsx queries-ab.ts --data-dir DIR --other PATH/TO/dist [--other-data-dir COPY] [--rounds 3] [--samples 200] [--churn]');
const dir = values['data-dir'];
const other = (await import(pathToFileURL(resolve(values.other, 'testing.js')).href)) as typeof current;
const saved = JSON.parse(readFileSync(`${dir}/bench-dataset.json`, 'utf8')) as { start: number; project: current.TestServer['project']; dataset: { weeks: number; subjects: number } };
const fromDate = new Date(saved.start).toISOString().slice(0, 10);
const builds = [['other', other, values['other-data-dir'] ?? dir], ['this', current, dir]] as const;
const figures = new Map<string, { floor: RouteFigure; routes: RouteFigure[] }[]>(builds.map(([name]) => [name, []]));
const averages = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const loadBefore = averages();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, build, dataDir] of builds) {
    const server = await build.startTestServer({ start: saved.start, dataDir, project: saved.project, env: ENV });
    // As `queries.ts` measures a kept dataset: at the time it ended.
    server.clock.set(saved.start + saved.dataset.weeks * 7 * DAY - 60_000);
    try {
      figures.get(name)!.push(await measureRoutes(server, fromDate, saved.dataset.weeks, Number(values.samples), values.churn ? churn(server) : undefined));
    } finally {
      await server.close();
    }
  }
}

console.log(`statistics over ${saved.dataset.weeks} weeks, ${fmt(saved.dataset.subjects)} subjects: ${values.other} (other) against this build`);
console.log(`  ${values.rounds} rounds of ${values.samples} timed requests per route and build${values.churn ? ', each after a batch of new activity (--churn)' : ''}; load average ${loadBefore} before, ${averages()} after`);
console.log(`  ${'route'.padEnd(22)} ${'other p50'.padStart(10)} ${'p95'.padStart(7)}   ${'this p50'.padStart(9)} ${'p95'.padStart(7)}  (ms, median over rounds)`);
const names = [figures.get('this')![0]!.floor.name, ...figures.get('this')![0]!.routes.map((route) => route.name)];
for (const name of names) {
  const pick = (build: string) => figures.get(build)!.map((run) => (name === run.floor.name ? run.floor : run.routes.find((route) => route.name === name)!));
  const cells = builds.map(([build]) => {
    const runs = pick(build);
    return `${fmt(median(runs.map((run) => run.p50Ms)), 2).padStart(build === 'other' ? 10 : 9)} ${fmt(median(runs.map((run) => run.p95Ms)), 2).padStart(7)}`;
  });
  console.log(`  ${name.padEnd(22)} ${cells.join('   ')}`);
}
