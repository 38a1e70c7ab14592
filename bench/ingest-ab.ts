/**
 * A/B of two or more builds of `heed serve` under the same ingest load, back to back, so a
 * change is judged against its parent in the same minute of a shared machine. Each round
 * runs every build once (in turn, each on a fresh data directory) and the raw insert rate;
 * the median of the rounds is printed with the 1-minute load average seen during them, and
 * the server's CPU time per event (all its threads), which a busy machine disturbs less.
 *
 *   mkdir -p apps/server/node_modules/.ab && cp -r apps/server/dist apps/server/node_modules/.ab/a   # the parent, before rebuilding
 *   pnpm --filter @heed/bench exec tsx ingest-ab.ts --cli ../apps/server/node_modules/.ab/a/cli.js --cli ../apps/server/dist/cli.js [--batch 50] [--seconds 5] [--rounds 3]
 *
 * A build must sit inside apps/server (it resolves its dependencies and migrations from there).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rawInsertRate } from './ingest-sqlite.js';
import { postBatches } from './lib/load.js';
import { cpuSeconds } from './lib/proc.js';
import { consentSubjects, type BenchProject } from './lib/server-process.js';
import { fmt, median } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    cli: { type: 'string', multiple: true },
    batch: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    port: { type: 'string', default: '18790' },
  },
});
const clis = (values.cli ?? []).map((path) => resolve(path));
if (clis.length === 0) throw new Error('name at least one build with --cli path/to/cli.js');
const batchSize = Number(values.batch);
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;

function run(cli: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, HEED_LOG_LEVEL: 'warn', HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function once(cli: string): Promise<{ events: number; cpuMicrosPerEvent: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heed-ab-'));
  const env = { HEED_DATA_DIR: dataDir, HEED_PORT: String(port), HEED_HOST: '127.0.0.1' };
  const create = run(cli, ['project', 'create', '--name', 'bench', '--json'], env);
  let out = '';
  create.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((done) => create.once('exit', done));
  const project = JSON.parse(out) as BenchProject;
  const server = run(cli, ['serve'], env);
  server.stdout!.resume();
  try {
    for (let tries = 0; !(await fetch(`${url}/readyz`).then((response) => response.ok, () => false)); tries++) {
      if (tries > 300) throw new Error(`${cli} did not get ready`);
      await new Promise((done) => setTimeout(done, 100));
    }
    const policy = (await (await fetch(`${url}/v1/policy`)).json()) as { version: string };
    const subjects = await consentSubjects(url, project, 50, policy.version);
    const cpuBefore = cpuSeconds(server.pid!);
    const result = await postBatches({ url, writeKey: project.writeKey, subjects, batchSize, seconds: Number(values.seconds) });
    const events = result.eventsPerSecond * Number(values.seconds);
    return { events: result.eventsPerSecond, cpuMicrosPerEvent: ((cpuSeconds(server.pid!) - cpuBefore) * 1e6) / events };
  } finally {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('exit', done));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const figures = clis.map(() => [] as number[]);
const cpu = clis.map(() => [] as number[]);
const raw: number[] = [];
const loads: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [index, cli] of clis.entries()) {
    loads.push(loadavg()[0]!);
    const result = await once(cli);
    figures[index]!.push(result.events);
    cpu[index]!.push(result.cpuMicrosPerEvent);
  }
  raw.push(rawInsertRate(200_000));
  console.log(`round ${round + 1}: ${figures.map((list) => fmt(list.at(-1)!)).join(' | ')} events/s, raw ${fmt(raw.at(-1)!)} rows/s, load ${loadavg()[0]!.toFixed(2)}`);
}
console.log(`batches of ${batchSize}, median of ${values.rounds} rounds, load average ${fmt(Math.min(...loads), 2)}-${fmt(Math.max(...loads), 2)}`);
for (const [index, cli] of clis.entries()) {
  const events = median(figures[index]!);
  console.log(`  ${fmt(events).padStart(8)} events/s  ratio ${fmt(events / median(raw), 2)}  server CPU ${fmt(median(cpu[index]!), 1)} µs/event  ${cli}`);
}
console.log(`  ${fmt(median(raw)).padStart(8)} rows/s   raw prepared insert`);
