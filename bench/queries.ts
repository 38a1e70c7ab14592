/**
 * Statistics queries and scaling. Builds weeks of aggregates for simulated users through
 * the server's own pipeline (an in-process server whose clock we move day by day, fed
 * batches over HTTP: validation, ledger, pseudonyms, aggregates, all real), then times each
 * statistics route over HTTP with the analyst key, beside GET /healthz timed the same way
 * (the HTTP round-trip floor of this machine in this run). Routes are data: one that answers
 * 404 is reported as absent, so a route that lands later lights up without a code change.
 *
 *   pnpm --filter @heed/bench exec tsx queries.ts [--subjects 10000] [--weeks 12] [--samples 50] [--data-dir DIR] [--churn] [--server process [--warm] [--restore]] [--store postgres] [--write]
 *
 * `--server process` measures a `heed serve` of its own (the built CLI, on the dataset's
 * files) instead of the generating process: the load generator then shares neither its event
 * loop nor its heap, and the server's resident memory (VmRSS after the timed requests, and
 * its peak VmHWM, from /proc) is its own. It runs twice: a first process with no cache
 * snapshot, then a second after the first stopped, which then erases one subject (a kept
 * dataset loses one per run) and times the first request of each route after the erasure. The process reads the real clock, so give it a
 * dataset generated in this run (or earlier the same day).
 *
 * `--store postgres` runs the server on PostgreSQL (`HEED_TEST_POSTGRES_URL`, by default the
 * local `test` server): a throwaway database, or with `--data-dir` one named after the size,
 * kept with the directory's dataset. `--write` puts the figures into bench/RESULTS.md.
 *
 * `--warm` runs `heed stats warm` on the dataset before the first server process, which then
 * restores the snapshot it wrote: the first requests of a deployment whose operator warmed it.
 *
 * `--restore` (SQLite) then takes a `heed backup` of the data, restores it into a directory of
 * its own beside the key files, and times a third server process on the copy: the first
 * requests after restoring a backup (the copy carries the statistics snapshot).
 *
 * `--churn` lands a small batch before every timed request (see `churn`); it adds those events
 * to a kept dataset, so give it a copy of one.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import Database from 'better-sqlite3';
import {
  createTestDatabase, databaseUrl, startServerProcess, startTestServer, TEST_POSTGRES_URL, type TestDatabase, type TestServer, type TestStoreKind,
} from '@heed/server/testing';
import { residentMemory, type ResidentMemory } from './lib/proc.js';
import { runCli } from './lib/server-process.js';
import { writeResultsSection } from './lib/results-section.js';
import { fmt, percentile } from './lib/stats.js';

const DAY = 86_400_000;
const FEATURES = ['report.exported', 'report.opened', 'filter.applied', 'invoice.sent', 'settings.saved'];

/** The statistics routes, as data: path and query, relative to the data's last day. */
export function statsRoutes(fromDate: string, weeks: number): { name: string; path: string }[] {
  return [
    { name: 'usage', path: `/v1/stats/usage?from=${fromDate}&grain=day` },
    { name: 'sessions', path: `/v1/stats/sessions?from=${fromDate}` },
    { name: 'features', path: `/v1/stats/features?from=${fromDate}` },
    { name: 'heatmap', path: `/v1/stats/heatmap?weeks=${weeks}` },
    { name: 'update-windows', path: `/v1/stats/update-windows?weeks=${weeks}` },
  ];
}

export interface Dataset {
  subjects: number;
  weeks: number;
  events: number;
  ingestSeconds: number;
  microsPerEvent: number;
  /** The generating server's statistics keeper: its turns during the ingest (from its debug log). */
  keeperTurns?: { count: number; p50Ms: number; maxMs: number };
}

export interface RouteFigure {
  name: string;
  status: 'measured' | 'absent';
  p50Ms: number;
  p95Ms: number;
  /** The first request after the server started: it fills the in-memory stats caches. */
  firstMs: number;
}

/** Whether subject n uses the platform on day d: about two days a week, spread over the week. */
const activeOn = (n: number, d: number) => (n * 7 + d * 3 + ((n * 2_654_435_761) >>> 28)) % 7 < 2;

async function post(server: TestServer, path: string, body: unknown): Promise<void> {
  const response = await server.post(path, body);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** Consents every subject, then sends day by day: per active day, one session of six events. */
export async function generate(server: TestServer, subjects: number, weeks: number, start: number): Promise<Dataset> {
  const started = performance.now();
  const hashes = Array.from({ length: subjects }, (_, n) => server.subjectFor(`user-${n}`));
  const writeKey = server.project.writeKey;
  const policy = (await (await fetch(`${server.url}/v1/policy`)).json()) as { version: string };
  for (let n = 0; n < subjects; n += 50) {
    await Promise.all(
      hashes.slice(n, n + 50).map((subject) =>
        post(server, '/v1/consent', { writeKey, subject, policyVersion: policy.version, purposes: { statistics: true, update_timing: true }, ts: server.clock.now() }),
      ),
    );
  }
  let events = 0;
  let seq = 0;
  for (let day = 0; day < weeks * 7; day++) {
    const dayStart = start + day * DAY;
    server.clock.set(dayStart + DAY - 60_000);
    let batch: object[] = [];
    const pending: Promise<void>[] = [];
    const send = () => {
      pending.push(post(server, '/v1/batch', { writeKey, sentAt: server.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'bench/1', events: batch }));
      events += batch.length;
      batch = [];
    };
    for (let n = 0; n < subjects; n++) {
      if (!activeOn(n, day)) continue;
      const subject = hashes[n]!;
      // Fixed widths: padding the end made ses_0_8 and ses_0_80 one session of two subjects.
      const sessionId = `ses_${String(day).padStart(3, "0")}_${String(n).padStart(6, "0")}`;
      // Office hours, spread by subject: 07:00 to 18:00 UTC.
      const t = dayStart + (7 + (n % 11)) * 3_600_000 + (n % 60) * 60_000;
      const id = () => `e${(seq++).toString(36).padStart(20, '0')}`;
      batch.push(
        { id: id(), type: 'session_start', ts: t, sessionId, subject },
        { id: id(), type: 'heartbeat', ts: t + 15_000, sessionId, subject, activeMs: 15_000 },
        { id: id(), type: 'track', ts: t + 20_000, sessionId, subject, name: FEATURES[(n + day) % FEATURES.length], durationMs: 420, props: { format: 'pdf' } },
        { id: id(), type: 'heartbeat', ts: t + 30_000, sessionId, subject, activeMs: 15_000 },
        { id: id(), type: 'heartbeat', ts: t + 45_000, sessionId, subject, activeMs: 15_000 },
        { id: id(), type: 'session_end', ts: t + 50_000, sessionId, subject, activeMs: 5_000 },
      );
      if (batch.length >= 198) send();
      // Two requests in flight: the store is the bottleneck, not the client.
      if (pending.length >= 2) await pending.shift();
    }
    if (batch.length) send();
    await Promise.all(pending);
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  const turns = server.logs.filter((line) => line.includes('"message":"statistics caches kept filled"')).map((line) => (JSON.parse(line) as { ms: number }).ms);
  const keeperTurns = turns.length === 0 ? undefined : { count: turns.length, p50Ms: percentile(turns, 50), maxMs: Math.max(...turns) };
  return { subjects, weeks, events, ingestSeconds, microsPerEvent: (ingestSeconds * 1e6) / events, ...(keeperTurns ? { keeperTurns } : {}) };
}

async function timeRoute(url: string, headers: Record<string, string>, samples: number, between?: () => Promise<void>): Promise<{ status: number; times: number[]; firstMs: number }> {
  const times: number[] = [];
  let firstMs = Number.NaN;
  let status = 0;
  for (let n = 0; n < samples + 5; n++) {
    if (between) await between();
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (n === 0) firstMs = performance.now() - started;
    if (n >= 5) times.push(performance.now() - started);
    status = response.status;
    if (status === 404) break;
    if (status !== 200) throw new Error(`${url} answered ${status}`);
  }
  return { status, times, firstMs };
}

/**
 * A batch landing before each timed request (itself not timed): a new session of one of the
 * first 100 subjects, a minute before the clock, so every statistics request finds its
 * current hour's marks and the session feed changed, as under live traffic, instead of
 * caches that a kept dataset never disturbs.
 */
export function churn(server: TestServer): () => Promise<void> {
  let n = 0;
  return async () => {
    const subject = server.subjectFor(`user-${n % 100}`);
    const sessionId = `ses_churn_${Date.now().toString(36)}_${n++}`;
    const ts = server.clock.now() - 60_000;
    await post(server, '/v1/batch', {
      writeKey: server.project.writeKey, sentAt: server.clock.now(), tz: 'Europe/Brussels', device: 'desktop', sdk: 'bench/1',
      events: [
        { id: `c${sessionId}_1`, type: 'session_start', ts, sessionId, subject },
        { id: `c${sessionId}_2`, type: 'heartbeat', ts: ts + 15_000, sessionId, subject, activeMs: 15_000 },
      ],
    });
  };
}

/** p50/p95 per route and the /healthz floor, `samples` sequential requests each after 5 of warm-up (with `between` before each). */
export async function measureRoutes(
  server: TestServer,
  fromDate: string,
  weeks: number,
  samples: number,
  between?: () => Promise<void>,
): Promise<{ floor: RouteFigure; routes: RouteFigure[] }> {
  const auth = { authorization: `Bearer ${server.project.analystKey}` };
  const health = await timeRoute(`${server.url}/healthz`, {}, samples, between);
  const floor: RouteFigure = { name: 'GET /healthz (floor)', status: 'measured', p50Ms: percentile(health.times, 50), p95Ms: percentile(health.times, 95), firstMs: health.firstMs };
  const routes: RouteFigure[] = [];
  for (const route of statsRoutes(fromDate, weeks)) {
    const { status, times, firstMs } = await timeRoute(`${server.url}${route.path}`, auth, samples, between);
    routes.push(
      status === 404
        ? { name: route.name, status: 'absent', p50Ms: Number.NaN, p95Ms: Number.NaN, firstMs: Number.NaN }
        : { name: route.name, status: 'measured', p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), firstMs },
    );
  }
  return { floor, routes };
}

export interface QueryFigures {
  dataset: Dataset;
  /** The dataset was generated by an earlier run (its ingest figures are that run's). */
  reused: boolean;
  floor: RouteFigure;
  routes: RouteFigure[];
  /** 1, 5 and 15 minute load averages before and after the timed requests: the machine is shared, and a figure means little without them. */
  load: { before: number[]; after: number[] };
  /** Timed requests per route (after 5 of warm-up). */
  samples: number;
  /** A batch landed before every request (see `churn`). */
  churn: boolean;
  /** With `--server process`: the server process's resident memory after the timed requests. */
  serverMemory?: ResidentMemory;
  /** With `--server process` on a dataset generated in this run: a server process on the snapshot the generator's statistics keeper left, measured before the first (which has none). */
  afterIngest?: { routes: RouteFigure[]; serverMemory: ResidentMemory };
  /** With `--server process`: a second server process on the same data, started after the first stopped (its caches from the first one's snapshot where the store keeps one). */
  restart?: { routes: RouteFigure[]; serverMemory: ResidentMemory; afterErasure: { name: string; firstMs: number }[]; erasureMs: number };
  /** With `--restore`: `heed backup` of the data after the restart, and a third server process started on the copy. */
  restored?: { backupSeconds: number; backupBytes: number; routes: RouteFigure[]; serverMemory: ResidentMemory };
  /** With `--warm`: seconds `heed stats warm` took before the first process started (which then restored its snapshot). */
  warmSeconds?: number;
}

/**
 * One subject erased through the admin API (the highest-numbered one still held: a kept
 * dataset loses one subject per run), then one request per route: what the first statistics
 * request after an erasure costs. An erasure raises the stats epoch; a server that made it
 * applies it to its caches instead of filling them again.
 */
async function firstAfterErasure(server: TestServer, fromDate: string, options: { subjects: number; weeks: number }): Promise<{ afterErasure: { name: string; firstMs: number }[]; erasureMs: number }> {
  // fetch, not server.post: `server` is the generator's, pointed at this process by its url only.
  const headers = { authorization: `Bearer ${server.project.adminKey}`, 'content-type': 'application/json' };
  let erasureMs: number;
  for (let n = options.subjects - 1; ; n--) {
    if (n < 0) throw new Error('no subject left to erase');
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/admin/subjects/erase`, { method: 'POST', headers, body: JSON.stringify({ userId: `user-${n}` }) });
    await response.arrayBuffer();
    erasureMs = performance.now() - started;
    if (response.status === 200) break;
    if (response.status !== 404) throw new Error(`erasure answered ${response.status}`);
  }
  const figures: { name: string; firstMs: number }[] = [];
  for (const route of statsRoutes(fromDate, options.weeks)) {
    const { status, firstMs } = await timeRoute(`${server.url}${route.path}`, { authorization: `Bearer ${server.project.analystKey}` }, 0);
    if (status !== 404) figures.push({ name: route.name, firstMs });
  }
  return { afterErasure: figures, erasureMs };
}

/**
 * One dataset: generated ending today (local midnight UTC), then measured. With `dataDir`,
 * the dataset is kept there and reused by later runs with the same size (the 10,000-subject
 * one takes minutes to generate), so a change to the read path can be measured A/B.
 */
export async function benchQueries(options: { subjects: number; weeks: number; samples: number; dataDir?: string; churn?: boolean; server?: 'in-process' | 'process'; store?: TestStoreKind; warm?: boolean; restore?: boolean }): Promise<QueryFigures> {
  // A separate server process opens the dataset's files, so they must outlive the generator.
  const dataDir = options.dataDir ?? (options.server === 'process' ? mkdtempSync(join(tmpdir(), 'heed-bench-queries-')) : undefined);
  const saved = dataDir === undefined ? undefined : join(dataDir, 'bench-dataset.json');
  const reuse = saved !== undefined && existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as SavedDataset) : undefined;
  if (reuse && (reuse.dataset.subjects !== options.subjects || reuse.dataset.weeks !== options.weeks)) throw new Error(`${dataDir} holds another dataset size`);
  const today = Math.floor(Date.now() / DAY) * DAY;
  const start = reuse?.start ?? today - options.weeks * 7 * DAY + DAY;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const database = options.store === 'postgres' ? await benchDatabase({ ...options, dataDir }, reuse !== undefined) : undefined;
  const env = {
    HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', HEED_LOG_LEVEL: 'warn',
    // The statistics keeper at its default, as deployed (the test server turns it off): the
    // generator's ingest pays for it, and its stop leaves the snapshot a first process starts from.
    HEED_STATS_KEEP_INTERVAL_MS: '60000',
    ...(database ? { HEED_PG_POOL_SIZE: '10', HEED_DATABASE_URL: database.url } : {}),
  };
  const server = await startTestServer({
    start, env, ...(dataDir ? { dataDir } : {}), ...(reuse ? { project: reuse.project } : {}),
    ...(database ? { store: 'postgres' as const, databaseUrl: database.url } : {}),
  });
  let closed = false;
  try {
    const dataset = reuse?.dataset ?? (await generate(server, options.subjects, options.weeks, start));
    if (saved && !reuse) writeFileSync(saved, JSON.stringify({ start, project: server.project, dataset } satisfies SavedDataset));
    const fromDate = new Date(start).toISOString().slice(0, 10);
    if (database) await steadyState(database.url, { ...env, HEED_DATA_DIR: dataDir ?? server.dataDir });
    if (options.server === 'process') {
      await server.close();
      closed = true;
      // The generator's clock, URL and keys, pointed at a server process of its own.
      const measureProcess = async (thenErase: boolean, on = dataDir!) => {
        const serve = await startServerProcess({ env: { ...env, HEED_DATA_DIR: on } });
        try {
          const target = { ...server, url: serve.url, clock: server.clock } as TestServer;
          const measured = await measureRoutes(target, fromDate, options.weeks, options.samples);
          const serverMemory = residentMemory(serve.child.pid!);
          return { ...measured, serverMemory, ...(thenErase ? await firstAfterErasure(target, fromDate, options) : {}) };
        } finally {
          // SIGTERM: the server writes its statistics cache snapshot as it closes.
          await serve.stop();
        }
      };
      // A dataset generated in this run: first a process on the snapshot the generator's
      // statistics keeper left, what a deployment has after weeks of ingest with no request.
      const afterIngest = reuse ? undefined : await measureProcess(false);
      // Cold (no snapshot of an earlier run or of the generator's server: an upgrade that
      // changed the snapshot's layout), every cache filled from the database. Then the same
      // data again after a restart, from the snapshot the first left.
      await dropSnapshots(database?.url ?? join(dataDir!, 'heed.db'));
      // --warm: `heed stats warm` first, as an operator runs it after an upgrade; the first
      // process then restores the snapshot it wrote instead of filling from the database.
      const warmStarted = performance.now();
      if (options.warm) await runCli(['stats', 'warm'], { ...env, HEED_DATA_DIR: dataDir! });
      const warmSeconds = options.warm ? (performance.now() - warmStarted) / 1_000 : undefined;
      const before = loadavg();
      const cold = await measureProcess(false);
      const restart = await measureProcess(true);
      const restored = options.restore ? await measureRestored(dataDir!, env, (copy) => measureProcess(false, copy)) : undefined;
      return {
        dataset, reused: reuse !== undefined, floor: cold.floor, routes: cold.routes, load: { before, after: loadavg() }, samples: options.samples, churn: false,
        serverMemory: cold.serverMemory, restart: { routes: restart.routes, serverMemory: restart.serverMemory, afterErasure: restart.afterErasure ?? [], erasureMs: restart.erasureMs ?? Number.NaN },
        ...(restored ? { restored } : {}),
        ...(afterIngest ? { afterIngest: { routes: afterIngest.routes, serverMemory: afterIngest.serverMemory } } : {}),
        ...(warmSeconds === undefined ? {} : { warmSeconds }),
      };
    }
    // A reused dataset is measured at the time it ended, so its weeks stay the last full ones.
    server.clock.set(reuse ? start + options.weeks * 7 * DAY - 60_000 : Date.now());
    const before = loadavg();
    const measured = await measureRoutes(server, fromDate, options.weeks, options.samples, options.churn ? churn(server) : undefined);
    return { dataset, reused: reuse !== undefined, ...measured, load: { before, after: loadavg() }, samples: options.samples, churn: options.churn ?? false };
  } finally {
    if (!closed) await server.close();
    if (database && !dataDir) await database.drop();
  }
}

/**
 * `--restore`: a backup as an operator takes it (`heed backup`, beside the data), restored into
 * a directory of its own with the key files, and a server process started on it: what the
 * first requests after restoring a backup cost. The copy is deleted afterwards.
 */
async function measureRestored(
  dataDir: string,
  env: Record<string, string>,
  measure: (copy: string) => Promise<{ routes: RouteFigure[]; serverMemory: ResidentMemory }>,
): Promise<NonNullable<QueryFigures['restored']>> {
  const copy = join(dataDir, 'restored');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy);
  try {
    for (const name of readdirSync(dataDir).filter((file) => file.endsWith('.key'))) copyFileSync(join(dataDir, name), join(copy, name));
    const started = performance.now();
    await runCli(['backup', '--to', join(copy, 'heed.db')], { ...env, HEED_DATA_DIR: dataDir });
    const backupSeconds = (performance.now() - started) / 1_000;
    const backupBytes = statSync(join(copy, 'heed.db')).size;
    const { routes, serverMemory } = await measure(copy);
    return { backupSeconds, backupBytes, routes, serverMemory };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Deletes every statistics cache snapshot of the database (a PostgreSQL URL or a SQLite file). */
async function dropSnapshots(database: string): Promise<void> {
  if (!database.startsWith('postgres')) {
    const file = new Database(database);
    try {
      file.prepare('DELETE FROM stats_snapshots').run();
    } finally {
      file.close();
    }
    return;
  }
  const sql = postgres(database, { max: 1, onnotice: () => {} });
  try {
    await sql`DELETE FROM stats_snapshots`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A PostgreSQL dataset as a server that has run for a while holds it: the writer slots of
 * closed hours folded (every start folds them in the background, each retention run too; here
 * `heed migrate`, which opens the store as a start does and waits for the fold as it closes),
 * then vacuumed and analyzed (autovacuum's work, which a freshly loaded table has not had yet,
 * and which the local test server, run with `autovacuum = off`, never does). Unvacuumed, the
 * aggregates of 10,000 subjects x 12 weeks carry some 1.4 million dead row versions beside
 * 71,000 live ones (every counter update leaves one), and each statistics read walks them: the
 * features read touched 7,600 pages instead of 1,800. Unfolded, a freshly generated dataset
 * (whose generating server started before its data, so folded nothing) was measured with every
 * writer slot's rows and with the first measured process folding them during its requests:
 * usage p50 58 ms against 8 on the same dataset a run later.
 */
async function steadyState(url: string, env: Record<string, string>): Promise<void> {
  await runCli(['migrate'], env);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`VACUUM (ANALYZE)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The PostgreSQL database of a dataset: with a data directory, one named after its size and
 * kept for later runs (made afresh when the directory holds no finished dataset); without, a
 * throwaway one.
 */
async function benchDatabase(options: { subjects: number; weeks: number; dataDir?: string }, reuse: boolean): Promise<TestDatabase> {
  if (!options.dataDir) return createTestDatabase();
  const name = `heed_bench_${options.subjects}x${options.weeks}w`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    const exists = (await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length > 0;
    if (exists && !reuse) await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
    if (!exists || !reuse) await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return { url: databaseUrl(TEST_POSTGRES_URL, name), drop: async () => undefined };
}

interface SavedDataset {
  start: number;
  project: TestServer['project'];
  dataset: Dataset;
}

/** One line per measured route of a later process: its p50, p95 and first request. */
function printRoutes(routes: readonly RouteFigure[]): void {
  for (const route of routes) {
    if (route.status === 'measured') console.log(`  ${route.name.padEnd(22)} p50 ${fmt(route.p50Ms, 2)} ms  p95 ${fmt(route.p95Ms, 2)} ms  (first request ${fmt(route.firstMs, 0)} ms)`);
  }
}

export function printQueries(figures: QueryFigures): void {
  const { dataset, floor, routes } = figures;
  console.log(`statistics over ${dataset.weeks} weeks, ${fmt(dataset.subjects)} subjects, ${fmt(dataset.events)} events (ingested in ${fmt(dataset.ingestSeconds, 1)} s, ${fmt(dataset.microsPerEvent, 1)} us/event${figures.reused ? ', by an earlier run' : ''})`);
  const turns = dataset.keeperTurns;
  if (turns) console.log(`  the ingesting server's statistics keeper: ${fmt(turns.count)} turns, p50 ${fmt(turns.p50Ms, 0)} ms, longest ${fmt(turns.maxMs, 0)} ms`);
  const averages = (load: number[]) => load.map((value) => value.toFixed(2)).join(' ');
  console.log(`  load average ${averages(figures.load.before)} before, ${averages(figures.load.after)} after; ${fmt(figures.samples)} timed requests per route${figures.churn ? ', each after a batch of new activity (--churn)' : ''}`);
  if (figures.warmSeconds !== undefined) console.log(`  heed stats warm before the first process: ${fmt(figures.warmSeconds, 1)} s (the first process restores the snapshot it wrote)`);
  const memory = (m: ResidentMemory) => `${fmt(m.rssMb, 0)} MB after the requests (${fmt(m.anonMb, 0)} MB of it its own anonymous memory), ${fmt(m.peakRssMb, 0)} MB at its peak`;
  if (figures.afterIngest) {
    console.log('  a server process on the snapshot the ingesting server left (its statistics keeper filled the caches):');
    printRoutes(figures.afterIngest.routes);
    console.log(`  server process resident memory: ${memory(figures.afterIngest.serverMemory)}`);
    console.log('  a first server process with no snapshot (after an upgrade that changed its layout):');
  }
  for (const route of [floor, ...routes]) {
    const line = route.status === 'absent' ? 'absent (404)' : `p50 ${fmt(route.p50Ms, 2)} ms  p95 ${fmt(route.p95Ms, 2)} ms  (${fmt(route.p50Ms / floor.p50Ms, 1)}x floor; first request ${fmt(route.firstMs, 0)} ms)`;
    console.log(`  ${route.name.padEnd(22)} ${line}`);
  }
  if (figures.serverMemory) console.log(`  server process resident memory: ${memory(figures.serverMemory)}`);
  if (figures.restart) {
    console.log('  after a restart on the same data:');
    printRoutes(figures.restart.routes);
    console.log(`  server process resident memory: ${memory(figures.restart.serverMemory)}`);
    console.log(`  the erasure answered in ${fmt(figures.restart.erasureMs, 0)} ms; first request after it: ${figures.restart.afterErasure.map((route) => `${route.name} ${fmt(route.firstMs, 0)} ms`).join(', ')}`);
  }
  if (figures.restored) {
    console.log(`  after restoring a backup (heed backup: ${fmt(figures.restored.backupBytes / 1e6, 0)} MB in ${fmt(figures.restored.backupSeconds, 1)} s):`);
    printRoutes(figures.restored.routes);
    console.log(`  server process resident memory: ${memory(figures.restored.serverMemory)}`);
  }
}

/** The statistics figures of one store, as RESULTS.md shows them beside the other store's. */
export function renderStoreQueries(figures: QueryFigures, store: TestStoreKind, command: string): string {
  const { dataset, floor, routes } = figures;
  const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : fmt(value, 2));
  const worst = Math.max(...routes.filter((r) => r.status === 'measured').map((r) => r.p95Ms));
  const restart = figures.restart?.routes;
  const erased = figures.restart?.afterErasure ?? [];
  const mb = (memory: ResidentMemory) => `${fmt(memory.rssMb, 0)} MB after the requests (RssAnon ${fmt(memory.anonMb, 0)} MB), ${fmt(memory.peakRssMb, 0)} MB at its peak`;
  const memory = figures.serverMemory
    ? `\nServer process resident memory: ${mb(figures.serverMemory)}${figures.restart ? `; after a restart (caches from the snapshot): ${mb(figures.restart.serverMemory)}` : ''}.\n`
    : '';
  const ingested = figures.afterIngest?.routes.filter((r) => r.status === 'measured');
  const afterIngest = !ingested || !figures.afterIngest
    ? ''
    : `\nA server process on the snapshot the ingesting server's statistics keeper left (before the first process, which had none): first requests ${ingested.map((r) => `${r.name} ${ms(r.firstMs)}`).join(', ')} ms; worst p95 ${ms(Math.max(...ingested.map((r) => r.p95Ms)))} ms; ${mb(figures.afterIngest.serverMemory)}.\n`;
  const warm = figures.warmSeconds === undefined ? '' : `\n\`heed stats warm\` ran before the first process, in ${fmt(figures.warmSeconds, 1)} s: the first requests restored its snapshot.\n`;
  return `Statistics on ${store === 'postgres' ? 'PostgreSQL' : 'SQLite'} (${fmt(dataset.subjects)} subjects, ${dataset.weeks} weeks, ${fmt(dataset.events)} events; ${figures.samples} sequential requests per route after 5 of warm-up; measured ${new Date().toISOString()}; \`${command}\`; load average ${figures.load.before.map((v) => v.toFixed(1)).join(' / ')} before):

| route | p50 ms | p95 ms | first request ms |${restart ? ' first request after a restart ms | first request after an erasure ms |' : ''}
|---|---:|---:|---:|${restart ? '---:|---:|' : ''}
${[floor, ...routes].map((r) => `| ${r.name} | ${r.status === 'absent' ? 'absent' : ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${ms(r.firstMs)} |${restart ? ` ${ms(restart.find((x) => x.name === r.name)?.firstMs ?? Number.NaN)} | ${ms(erased.find((x) => x.name === r.name)?.firstMs ?? Number.NaN)} |` : ''}`).join('\n')}
${memory}${afterIngest}${warm}
Worst p95 ${ms(worst)} ms: ${worst < 20 ? 'met' : '**missed**'} (target < 20 ms on every route).`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      subjects: { type: 'string', default: '10000' }, weeks: { type: 'string', default: '12' }, samples: { type: 'string', default: '50' }, 'data-dir': { type: 'string' },
      churn: { type: 'boolean', default: false }, server: { type: 'string', default: 'in-process' },
      store: { type: 'string', default: 'sqlite' }, write: { type: 'boolean', default: false }, warm: { type: 'boolean', default: false },
      restore: { type: 'boolean', default: false },
    },
  });
  if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error(`--store sqlite or --store postgres, not ${values.store}`);
  if (values.server !== 'in-process' && values.server !== 'process') throw new Error('--server must be in-process or process');
  // The churn batches carry identities the generating server signs: they need that server.
  if (values.server === 'process' && values.churn) throw new Error('--churn measures the in-process server only');
  if (values.warm && values.server !== 'process') throw new Error('--warm runs `heed stats warm` before a server process: use it with --server process');
  if (values.restore && (values.server !== 'process' || values.store !== 'sqlite')) throw new Error('--restore starts a server process on a `heed backup` copy: use it with --server process on SQLite');
  const figures = await benchQueries({
    subjects: Number(values.subjects), weeks: Number(values.weeks), samples: Number(values.samples), churn: values.churn, server: values.server, store: values.store, warm: values.warm, restore: values.restore,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  printQueries(figures);
  if (values.write) {
    const command = `pnpm --filter @heed/bench exec tsx queries.ts --store ${values.store} --subjects ${values.subjects} --weeks ${values.weeks} --samples ${values.samples}${values.churn ? ' --churn' : ''}${values.server === 'process' ? ' --server process' : ''}${values.warm ? ' --warm' : ''}${values.restore ? ' --restore' : ''}${values['data-dir'] ? ' --data-dir <dir>' : ''} --write`;
    // One section per kind of run: the in-process 10,000-subject one keeps its old name.
    const size = values.subjects === '10000' && values.weeks === '12' ? '' : `-${values.subjects}x${values.weeks}w`;
    writeResultsSection(`statistics-${values.store}${size}${values.server === 'process' ? '-process' : ''}${values.warm ? '-warm' : ''}`, renderStoreQueries(figures, values.store, command));
  }
}
