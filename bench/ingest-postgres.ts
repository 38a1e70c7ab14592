/**
 * Ingest through HTTP on PostgreSQL with one and with two server processes, beside one process
 * on SQLite, in the same run and under the same load (autocannon, 10 connections in all,
 * batches of fresh events from 50 consenting subjects, one subject and session per batch as
 * the SDK sends them). Prints events/s and batch latency per setup, and the ratios.
 *
 *   pnpm --filter @heed/server build && pnpm --filter @heed/bench exec tsx ingest-postgres.ts [--batch 50] [--seconds 10]
 *
 * Two cores run the load generator, the server processes and PostgreSQL together: a second
 * process competes for the same cores, so the figure says what one more process costs or
 * buys on this machine, not what it buys on a machine of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createTestDatabase } from '@heed/server/testing';
import { makeBatch } from './lib/event-rows.js';
import { consentSubjects, runCli, startServerProcess, type BenchProject, type BenchSubject, type ServerProcess } from './lib/server-process.js';
import { fmt } from './lib/stats.js';

const CONNECTIONS = 10;

interface Figures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Splits the connections over the servers and sums what they took. */
async function load(urls: readonly string[], writeKey: string, subjects: readonly BenchSubject[], batchSize: number, seconds: number): Promise<Figures> {
  const results = await Promise.all(urls.map((url) => autocannon({
    url: `${url}/v1/batch`,
    connections: CONNECTIONS / urls.length,
    duration: seconds,
    requests: [{
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify(makeBatch(writeKey, subjects, batchSize, Date.now())) }),
    }],
  })));
  for (const result of results) {
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  const total = results.reduce((sum, result) => sum + result.requests.total, 0);
  return {
    eventsPerSecond: (total * batchSize) / seconds,
    p50Ms: Math.max(...results.map((result) => result.latency.p50)),
    p99Ms: Math.max(...results.map((result) => result.latency.p99)),
  };
}

async function setup(processes: number, env: Record<string, string>, basePort: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'heed-bench-'));
  const shared = { HEED_DATA_DIR: dataDir, ...env };
  const project = JSON.parse(await runCli(['project', 'create', '--name', 'bench', '--json'], shared)) as BenchProject;
  const servers: ServerProcess[] = [];
  for (let n = 0; n < processes; n++) servers.push(await startServerProcess({ port: basePort + n, dataDir, env: shared }));
  const policy = (await (await fetch(`${servers[0]!.url}/v1/policy`)).json()) as { version: string };
  const subjects = await consentSubjects(servers[0]!.url, project, 50, policy.version);
  return {
    urls: servers.map((server) => server.url),
    writeKey: project.writeKey,
    subjects,
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function benchIngestPostgres(options: { batchSize: number; seconds: number }) {
  const rows: { label: string; figures: Figures }[] = [];
  const run = async (label: string, processes: number, env: Record<string, string>, port: number) => {
    const running = await setup(processes, env, port);
    try {
      // A short warm-up (JIT, pool, plan cache), then the measured run.
      await load(running.urls, running.writeKey, running.subjects, options.batchSize, 2);
      rows.push({ label, figures: await load(running.urls, running.writeKey, running.subjects, options.batchSize, options.seconds) });
    } finally {
      await running.stop();
    }
  };
  const key = randomBytes(32).toString('hex');
  await run('SQLite, 1 process', 1, { HEED_PSEUDONYM_KEY: key }, 18_791);
  for (const processes of [1, 2]) {
    const database = await createTestDatabase();
    try {
      await run(`PostgreSQL, ${processes} process${processes === 1 ? '' : 'es'}`, processes, { HEED_DATABASE_URL: database.url, HEED_PSEUDONYM_KEY: key, HEED_PG_POOL_SIZE: '10' }, 18_793);
    } finally {
      await database.drop();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } } });
  const rows = await benchIngestPostgres({ batchSize: Number(values.batch), seconds: Number(values.seconds) });
  const base = rows[0]!.figures.eventsPerSecond;
  console.log(`ingest over HTTP, batches of ${values.batch}, ${CONNECTIONS} connections, ${values.seconds} s each, one run`);
  for (const { label, figures } of rows) {
    console.log(`  ${label.padEnd(24)} ${fmt(figures.eventsPerSecond).padStart(9)} events/s  (p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms per batch)  ${fmt(figures.eventsPerSecond / base, 2)} x SQLite`);
  }
}
