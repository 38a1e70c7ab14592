/**
 * Ingest on PostgreSQL, in one run and on one database: the raw multi-row INSERT floor
 * (postgres.js, batches of 50 rows per transaction, 10 connections: lib/raw-postgres.ts),
 * then Heed over HTTP with one server process and with two (wrk, 10 connections in all,
 * batches of one consenting subject's new session), then a bare server that writes each batch
 * with one INSERT (lib/bare-postgres-server.ts) with one process and with two: the floor of
 * what a second process costs per event on these cores. Each setup runs `--runs` times,
 * interleaved, and the medians are quoted. During Heed's runs, `pg_stat_activity` is sampled
 * for lock waits (lib/lock-sampler.ts), and the CPU the server processes and PostgreSQL's
 * backends used is read from /proc (lib/proc.ts), per event stored.
 *
 *   pnpm --filter @heed/server build && pnpm --filter @heed/bench exec tsx ingest-postgres.ts [--runs 3] [--seconds 10] [--groups n] [--split] [--one-connections n] [--write]
 *
 * `--groups` sets HEED_PG_INGEST_GROUPS (ingest groups in flight per process; half the pool by
 * default). Two experiments on why a second process costs more per event: `--split` gives the
 * two processes half the one process's in-flight groups each (the same groups in flight in
 * all), and `--one-connections` loads the one process with fewer wrk connections than the 10
 * (5: the concurrency each of the two processes sees).
 *
 * Needs `wrk` (`apt-get install wrk`) and PostgreSQL (`HEED_TEST_POSTGRES_URL`, by default
 * postgres://root@127.0.0.1:5432/test). `--write` puts the table into bench/RESULTS.md.
 * Two cores run wrk, the server processes and PostgreSQL together: a second process competes
 * for the same cores, so the figure says what one more process costs or buys on this
 * machine, not what it buys on a machine of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createTestDatabase } from '@heed/server/testing';
import { startBareProcess, type BareProcess } from './lib/bare-process.js';
import { sampleLockWaits } from './lib/lock-sampler.js';
import { totalCpuSeconds } from './lib/proc.js';
import { rawPostgresInsert } from './lib/raw-postgres.js';
import { sectionMarkers, writeResultsSection } from './lib/results-section.js';
import { consentSubjects, runCli, startServerProcess, type BenchProject, type ServerProcess } from './lib/server-process.js';
import { fmt, median } from './lib/stats.js';
import { wrkBatches } from './lib/wrk-load.js';

const CONNECTIONS = 10;
/** Ports of the two bare floor servers. */
const BARE_PORTS = [18_797, 18_798] as const;
const SUBJECTS = 1_000;

export interface PostgresSetupFigures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the server processes per stored event, microseconds. */
  serverCpuUsPerEvent?: number;
  /** CPU of PostgreSQL's backends serving the run per stored event, microseconds. */
  postgresCpuUsPerEvent?: number;
  /** WAL PostgreSQL wrote per stored event, bytes (the whole cluster's: other databases' writes count too). */
  walBytesPerEvent?: number;
  /** Active-backend samples of the run, and how many of them waited on a lock. */
  activeSamples?: number;
  lockWaits?: number;
}

export interface PostgresRow {
  label: string;
  figures: PostgresSetupFigures;
}

interface RunFigures extends Required<PostgresSetupFigures> {}

/** A floor server's run: what `bare-postgres-server.ts` stored, and the CPU its processes used for it. */
interface BareFigures {
  eventsPerSecond: number;
  serverCpuUsPerEvent: number;
}

/** The median of each figure over the runs. */
function medianOf(runs: readonly RunFigures[]): RunFigures {
  const pick = (key: keyof RunFigures) => median(runs.map((run) => run[key]));
  return {
    eventsPerSecond: pick('eventsPerSecond'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'), serverCpuUsPerEvent: pick('serverCpuUsPerEvent'),
    postgresCpuUsPerEvent: pick('postgresCpuUsPerEvent'), walBytesPerEvent: pick('walBytesPerEvent'), activeSamples: pick('activeSamples'), lockWaits: pick('lockWaits'),
  };
}

export async function benchIngestPostgres(options: { batchSize: number; seconds: number; runs?: number; groups?: number; split?: boolean; oneConnections?: number }): Promise<PostgresRow[]> {
  const runs = options.runs ?? 3;
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'heed-bench-'));
  const env = { HEED_DATA_DIR: dataDir, HEED_DATABASE_URL: database.url, HEED_PSEUDONYM_KEY: randomBytes(32).toString('hex'), HEED_PG_POOL_SIZE: '10', ...(options.groups === undefined ? {} : { HEED_PG_INGEST_GROUPS: String(options.groups) }) };
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  const servers: ServerProcess[] = [];
  const bares: BareProcess[] = [];
  try {
    const project = JSON.parse(await runCli(['project', 'create', '--name', 'bench', '--json'], env)) as BenchProject;
    for (const port of [18_793, 18_794]) servers.push(await startServerProcess({ port, dataDir, env }));
    // --split: the two processes share the one process's in-flight groups (each half of them), in processes of their own.
    const pair = options.split
      ? await Promise.all([18_795, 18_796].map((port) => startServerProcess({ port, dataDir, env: { ...env, HEED_PG_INGEST_GROUPS: String(Math.max(1, Math.ceil((options.groups ?? 5) / 2))) } })))
      : servers;
    if (options.split) servers.push(...pair);
    for (const port of BARE_PORTS) bares.push(await startBareProcess('bare-postgres-server.ts', [String(port), database.url]));
    const policy = (await (await fetch(`${servers[0]!.url}/v1/policy`)).json()) as { version: string };
    const subjects = await consentSubjects(servers[0]!.url, project, SUBJECTS, policy.version);
    const storedEvents = async () => (await admin<{ n: string }[]>`SELECT count(*)::text AS n FROM events`)[0]!.n;
    const backendPids = async () =>
      (await admin<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'heed'`).map((row) => row.pid);

    let tag = 0;
    const heed = async (processes: 1 | 2, seconds: number): Promise<RunFigures> => {
      const targets = processes === 1 ? servers.slice(0, 1) : pair.slice(0, 2);
      const serverPids = targets.map((server) => server.child.pid!);
      const pgPids = await backendPids();
      const walAt = async () => (await admin<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`)[0]!.lsn;
      const before = { events: Number(await storedEvents()), server: totalCpuSeconds(serverPids), pg: totalCpuSeconds(pgPids), wal: await walAt() };
      const stopSampling = sampleLockWaits(admin);
      const results = await Promise.all(targets.map((server) => wrkBatches({
        url: server.url, writeKey: project.writeKey, subjects, batchSize: options.batchSize, seconds,
        connections: processes === 1 ? (options.oneConnections ?? CONNECTIONS) : CONNECTIONS / processes, tag: `r${++tag}`,
      })));
      const locks = await stopSampling();
      const walBytes = Number((await admin<{ n: string }[]>`SELECT pg_wal_lsn_diff(${await walAt()}::pg_lsn, ${before.wal}::pg_lsn)::text AS n`)[0]!.n);
      const events = Number(await storedEvents()) - before.events;
      for (const result of results) {
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
      }
      const requests = results.reduce((sum, result) => sum + result.requests, 0);
      // wrk stops with up to one request per connection in flight: those may be stored unanswered.
      if (events < requests * options.batchSize || events > (requests + CONNECTIONS) * options.batchSize) {
        throw new Error(`stored ${events} events for ${requests} answered batches of ${options.batchSize}`);
      }
      return {
        eventsPerSecond: events / Math.max(...results.map((result) => result.seconds)),
        p50Ms: Math.max(...results.map((result) => result.p50Ms)),
        p99Ms: Math.max(...results.map((result) => result.p99Ms)),
        serverCpuUsPerEvent: ((totalCpuSeconds(serverPids) - before.server) / events) * 1e6,
        postgresCpuUsPerEvent: ((totalCpuSeconds(pgPids) - before.pg) / events) * 1e6,
        walBytesPerEvent: walBytes / events,
        activeSamples: locks.samples,
        lockWaits: locks.lockWaits,
      };
    };

    // The floor servers under the same load: what one more process costs any Node server
    // that writes each batch to PostgreSQL on these cores, with nothing of Heed's in it.
    const bareEvents = async () => Number((await admin<{ n: string }[]>`SELECT count(*)::text AS n FROM raw_events WHERE project_id = 'p_bare'`)[0]!.n);
    const bare = async (processes: 1 | 2, seconds: number): Promise<BareFigures> => {
      const targets = bares.slice(0, processes);
      const pids = targets.map((target) => target.child.pid!);
      const before = { events: await bareEvents(), cpu: totalCpuSeconds(pids) };
      const results = await Promise.all(BARE_PORTS.slice(0, processes).map((port) => wrkBatches({
        url: `http://127.0.0.1:${port}`, writeKey: 'wk_bare', subjects, batchSize: options.batchSize, seconds,
        connections: CONNECTIONS / processes, tag: `b${++tag}`,
      })));
      const events = (await bareEvents()) - before.events;
      if (results.some((result) => result.non2xx > 0 || result.errors > 0)) throw new Error('a bare server run had non-2xx answers or errors');
      return { eventsPerSecond: events / Math.max(...results.map((result) => result.seconds)), serverCpuUsPerEvent: ((totalCpuSeconds(pids) - before.cpu) / events) * 1e6 };
    };

    // Warm-up (JIT, pools, plan caches) of every process, then the runs, interleaved.
    await heed(1, 2);
    await heed(2, 2);
    await bare(2, 2);
    const raw: number[] = [];
    const one: RunFigures[] = [];
    const two: RunFigures[] = [];
    const bareOne: BareFigures[] = [];
    const bareTwo: BareFigures[] = [];
    for (let run = 0; run < runs; run++) {
      raw.push(await rawPostgresInsert({ url: database.url, batchSize: options.batchSize, connections: CONNECTIONS, seconds: options.seconds }));
      one.push(await heed(1, options.seconds));
      two.push(await heed(2, options.seconds));
      bareOne.push(await bare(1, options.seconds));
      bareTwo.push(await bare(2, options.seconds));
    }
    const bareMedian = (runs: readonly BareFigures[]) => ({
      eventsPerSecond: median(runs.map((run) => run.eventsPerSecond)), serverCpuUsPerEvent: median(runs.map((run) => run.serverCpuUsPerEvent)), p50Ms: Number.NaN, p99Ms: Number.NaN,
    });
    return [
      { label: `raw INSERT, ${options.batchSize} rows per transaction, ${CONNECTIONS} connections`, figures: { eventsPerSecond: median(raw), p50Ms: Number.NaN, p99Ms: Number.NaN } },
      { label: `Heed on PostgreSQL, 1 process${options.oneConnections === undefined ? '' : ` (${options.oneConnections} wrk connections)`}`, figures: medianOf(one) },
      { label: `Heed on PostgreSQL, 2 processes${options.split ? ' (half the in-flight groups each)' : ''}`, figures: medianOf(two) },
      { label: 'bare server (Hono, one INSERT per batch), 1 process', figures: bareMedian(bareOne) },
      { label: 'bare server, 2 processes', figures: bareMedian(bareTwo) },
    ];
  } finally {
    await Promise.all([...servers, ...bares].map((server) => server.stop()));
    await admin.end({ timeout: 5 });
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The table and the verdicts on issue 17's targets, as RESULTS.md shows them. */
export function renderPostgresIngest(rows: readonly PostgresRow[], settings: { batchSize: number; seconds: number; runs: number; command: string }): string {
  const [raw, one, two, bareOne, bareTwo] = rows as [PostgresRow, PostgresRow, PostgresRow, PostgresRow?, PostgresRow?];
  const share = (row: PostgresRow) => (row.figures.lockWaits ?? 0) / Math.max(1, row.figures.activeSamples ?? 0);
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const cpuRatio = (two.figures.serverCpuUsPerEvent ?? Number.NaN) / (one.figures.serverCpuUsPerEvent ?? Number.NaN);
  const bareRatio = (bareTwo?.figures.serverCpuUsPerEvent ?? Number.NaN) / (bareOne?.figures.serverCpuUsPerEvent ?? Number.NaN);
  const line = ({ label, figures: f }: PostgresRow) =>
    `| ${label} | ${fmt(f.eventsPerSecond)} | ${fmt(f.eventsPerSecond / raw.figures.eventsPerSecond, 2)} | ${Number.isNaN(f.p50Ms) ? '' : `${fmt(f.p50Ms, 1)} / ${fmt(f.p99Ms, 1)}`} | ${f.serverCpuUsPerEvent === undefined ? '' : fmt(f.serverCpuUsPerEvent, 1)} | ${f.postgresCpuUsPerEvent === undefined ? '' : fmt(f.postgresCpuUsPerEvent, 1)} | ${f.walBytesPerEvent === undefined ? '' : fmt(f.walBytesPerEvent)} | ${f.activeSamples === undefined ? '' : `${fmt(f.lockWaits ?? 0)} of ${fmt(f.activeSamples)} (${fmt(share({ label, figures: f }) * 100, 1)}%)`} |`;
  return `PostgreSQL (bench/ingest-postgres.ts: wrk, ${CONNECTIONS} connections in all, batches of ${settings.batchSize} from ${fmt(SUBJECTS)} consenting subjects; median of ${settings.runs} interleaved runs of ${settings.seconds} s; \`${settings.command}\`):

| setup | ev/s | share of raw | p50 / p99 ms | server CPU us/event | PostgreSQL CPU us/event | WAL B/event | lock waits of active-backend samples |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows.map(line).join('\n')}

| target (issue 17) | figure | verdict |
|---|---|---|
| 1 process >= 0.4 of raw | ${fmt(one.figures.eventsPerSecond / raw.figures.eventsPerSecond, 2)} | ${met(one.figures.eventsPerSecond >= 0.4 * raw.figures.eventsPerSecond)} |
| 2 processes >= 1.0x 1 process | ${fmt(two.figures.eventsPerSecond / one.figures.eventsPerSecond, 2)}x | ${met(two.figures.eventsPerSecond >= one.figures.eventsPerSecond)} |
| server CPU/event, 2 processes <= 1.15x 1 process | ${fmt(cpuRatio, 2)}x (bare server: ${fmt(bareRatio, 2)}x) | ${met(cpuRatio <= 1.15)} |
| lock waits <= 5% of active-backend samples, 2 processes | ${fmt(share(two) * 100, 1)}% | ${met(share(two) <= 0.05)} |`;
}

export const POSTGRES_INGEST_MARKERS = sectionMarkers('postgres-ingest');

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' }, write: { type: 'boolean', default: false }, groups: { type: 'string' }, split: { type: 'boolean', default: false }, 'one-connections': { type: 'string' } } });
  const settings = { batchSize: Number(values.batch), seconds: Number(values.seconds), runs: Number(values.runs), split: values.split,
    ...(values.groups === undefined ? {} : { groups: Number(values.groups) }), ...(values['one-connections'] === undefined ? {} : { oneConnections: Number(values['one-connections']) }) };
  const rows = await benchIngestPostgres(settings);
  const command = `pnpm --filter @heed/bench exec tsx ingest-postgres.ts --runs ${settings.runs} --seconds ${settings.seconds}${values.groups === undefined ? '' : ` --groups ${values.groups}`}${values.split ? ' --split' : ''}${values['one-connections'] === undefined ? '' : ` --one-connections ${values['one-connections']}`}${values.write ? ' --write' : ''}`;
  const section = renderPostgresIngest(rows, { ...settings, command });
  console.log(`${new Date().toISOString()}\n${section}`);
  if (values.write) writeResultsSection('postgres-ingest', `Measured ${new Date().toISOString()}.\n\n${section}`);
}
