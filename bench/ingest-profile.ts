/**
 * Where the server's time goes under ingest load: runs `heed serve` (the built CLI) with
 * `node --cpu-prof`, sends batches with the benchmark's load generator, stops the server
 * (SIGTERM, so the profile is written) and prints the breakdown (lib/cpu-profile.ts).
 *
 *   pnpm --filter @heed/bench exec tsx ingest-profile.ts [--batch 50] [--seconds 10] [--out dir] [--cli path/to/cli.js] [--no-profile]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { printProfile, summarizeProfile } from './lib/cpu-profile.js';
import { postBatches } from './lib/load.js';
import { CLI, consentSubjects, runCli, type BenchProject } from './lib/server-process.js';
import { fmt } from './lib/stats.js';

/** CPU seconds so far of each of a process's threads, summed by thread name, from /proc. */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const key = tid === String(pid) ? `${name} (main)` : name;
    byName.set(key, (byName.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return byName;
}

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' }, out: { type: 'string' }, cli: { type: 'string' }, 'no-profile': { type: 'boolean', default: false }, port: { type: 'string', default: '18789' } },
});
const batchSize = Number(values.batch);
const dataDir = mkdtempSync(join(tmpdir(), 'heed-prof-'));
const profileDir = resolve(values.out ?? mkdtempSync(join(tmpdir(), 'heed-cpuprof-')));
const project = JSON.parse(await runCli(['project', 'create', '--name', 'bench', '--json'], { HEED_DATA_DIR: dataDir })) as BenchProject;
// --cpu-prof is refused in NODE_OPTIONS: start the built CLI here, with the flag.
const port = Number(values.port);
const profiling = !values['no-profile'] ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`] : [];
const child = spawn(process.execPath, [...profiling, values.cli ? resolve(values.cli) : CLI, 'serve'], {
  env: { ...process.env, HEED_DATA_DIR: dataDir, HEED_PORT: String(port), HEED_HOST: '127.0.0.1', HEED_LOG_LEVEL: 'warn', HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const server = { url: `http://127.0.0.1:${port}` };
for (let tries = 0; !(await fetch(`${server.url}/readyz`).then((r) => r.ok, () => false)); tries++) {
  if (tries > 300) throw new Error('heed serve did not get ready');
  await new Promise((done) => setTimeout(done, 100));
}
try {
  const policy = (await (await fetch(`${server.url}/v1/policy`)).json()) as { version: string };
  const subjects = await consentSubjects(server.url, project, 50, policy.version);
  const load = loadavg()[0]!;
  const before = threadCpu(child.pid!);
  const result = await postBatches({ url: server.url, writeKey: project.writeKey, subjects, batchSize, seconds: Number(values.seconds) });
  console.log(`batches of ${batchSize}: ${fmt(result.eventsPerSecond)} events/s (p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms), load average ${load.toFixed(2)}`);
  const events = result.eventsPerSecond * Number(values.seconds);
  console.log('server CPU per event, by thread (the profile below covers the main thread only)');
  for (const [name, seconds] of threadCpu(child.pid!)) {
    const micros = ((seconds - (before.get(name) ?? 0)) * 1e6) / events;
    if (micros >= 0.5) console.log(`  ${fmt(micros, 1).padStart(6)} µs  ${name}`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  rmSync(dataDir, { recursive: true, force: true });
}
if (values['no-profile']) process.exit(0);
const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
// The server is the process that ran longest: the biggest profile.
const biggest = files
  .map((name) => ({ name, summary: summarizeProfile(join(profileDir, name)) }))
  .sort((a, b) => b.summary.totalMs - a.summary.totalMs)[0];
if (!biggest) throw new Error(`no profile written to ${profileDir}`);
console.log(`${join(profileDir, biggest.name)}`);
printProfile(biggest.summary);
