/**
 * CPU profile of the statistics routes over a dataset that `queries.ts --data-dir DIR` kept:
 * times ten requests per route (after three warm-ups) and writes the profile of them to
 * `bench/out/queries.cpuprofile` (open it in Chrome DevTools or speedscope).
 *
 *   pnpm --filter @heed/bench exec tsx queries-profile.ts DIR [route]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startTestServer } from '@heed/server/testing';
import { statsRoutes } from './queries.js';

const [dir, only] = process.argv.slice(2);
if (!dir) throw new Error('usage: tsx queries-profile.ts DATA_DIR [route]');
const saved = JSON.parse(readFileSync(`${dir}/bench-dataset.json`, 'utf8'));
const DAY = 86_400_000;
const server = await startTestServer({ start: saved.start, dataDir: dir, project: saved.project, env: { HEED_LOG_LEVEL: 'warn' } });
server.clock.set(saved.start + saved.dataset.weeks * 7 * DAY - 60_000);
const auth = { authorization: `Bearer ${server.project.analystKey}` };
const routes = statsRoutes(new Date(saved.start).toISOString().slice(0, 10), saved.dataset.weeks).filter((r) => !only || r.name === only);
for (const r of routes) for (let i = 0; i < 3; i++) await (await fetch(server.url + r.path, { headers: auth })).arrayBuffer();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (const r of routes) {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await (await fetch(server.url + r.path, { headers: auth })).arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(r.name, times.map((t) => t.toFixed(1)).join(' '));
}
const { profile } = await session.post('Profiler.stop');
const out = new URL('./out/queries.cpuprofile', import.meta.url);
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(out, JSON.stringify(profile));
console.log(`profile: ${out.pathname}`);
await server.close();
