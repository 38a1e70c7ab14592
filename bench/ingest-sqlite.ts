/**
 * Ingest through HTTP into SQLite, beside the physical limit measured in the same run: raw
 * better-sqlite3 prepared inserts of the same event rows in one transaction (WAL,
 * synchronous=NORMAL). Prints events/s, the ratio, batch latency p50/p99 and server RSS.
 *
 *   pnpm --filter @heed/bench exec tsx ingest-sqlite.ts [--batch 50] [--seconds 10] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { nanoid } from 'nanoid';
import { postBatches } from './lib/load.js';
import { residentMemory } from './lib/proc.js';
import { consentSubjects, runCli, startServerProcess, type BenchProject } from './lib/server-process.js';
import { fmt, median } from './lib/stats.js';

export interface IngestFigures {
  batchSize: number;
  httpEventsPerSecond: number;
  rawRowsPerSecond: number;
  ratio: number;
  p50Ms: number;
  p99Ms: number;
  serverPeakRssMb: number;
  runs: number;
}

/** The physical limit: prepared inserts of event-shaped rows, one transaction. */
export function rawInsertRate(rows: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'heed-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE events (project_id TEXT NOT NULL, id TEXT NOT NULL, pseudonym TEXT NOT NULL, session_id TEXT NOT NULL,
    type TEXT NOT NULL, ts INTEGER NOT NULL, received_at INTEGER NOT NULL, name TEXT, duration_ms INTEGER, active_ms INTEGER,
    props TEXT, purposes TEXT NOT NULL, PRIMARY KEY (project_id, id))`);
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const now = Date.now();
  const data = Array.from({ length: rows }, (_, n) => [
    'p_bench', nanoid(), 'pseudonym-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'ses_bench', n % 10 === 0 ? 'track' : 'heartbeat', now - n, now,
    n % 10 === 0 ? 'report.exported' : null, n % 10 === 0 ? 420 : null, n % 10 === 0 ? null : 15_000, n % 10 === 0 ? '{"format":"pdf"}' : null, 'statistics,update_timing',
  ]);
  const started = performance.now();
  db.transaction(() => {
    for (const row of data) insert.run(...row);
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rows / seconds;
}

export async function benchIngestSqlite(options: { batchSize: number; seconds: number; runs: number; port?: number }): Promise<IngestFigures> {
  const port = options.port ?? 18_787;
  const dataDir = mkdtempSync(join(tmpdir(), 'heed-bench-'));
  const env = { HEED_DATA_DIR: dataDir };
  const project = JSON.parse(await runCli(['project', 'create', '--name', 'bench', '--json'], env)) as BenchProject;
  const server = await startServerProcess({ port, dataDir });
  const policy = (await (await fetch(`${server.url}/v1/policy`)).json()) as { version: string };
  const subjects = await consentSubjects(server.url, project, 50, policy.version);
  const http: number[] = [];
  const raw: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const result = await postBatches({ url: server.url, writeKey: project.writeKey, subjects, batchSize: options.batchSize, seconds: options.seconds });
      http.push(result.eventsPerSecond);
      p50.push(result.p50Ms);
      p99.push(result.p99Ms);
      raw.push(rawInsertRate(200_000));
    }
    const peak = residentMemory(server.child.pid!).peakRssMb;
    const figures: IngestFigures = {
      batchSize: options.batchSize,
      httpEventsPerSecond: median(http),
      rawRowsPerSecond: median(raw),
      ratio: median(http) / median(raw),
      p50Ms: median(p50),
      p99Ms: median(p99),
      serverPeakRssMb: peak,
      runs: options.runs,
    };
    return figures;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' } } });
  const figures = await benchIngestSqlite({ batchSize: Number(values.batch), seconds: Number(values.seconds), runs: Number(values.runs) });
  console.log(`ingest, batches of ${figures.batchSize}, median of ${figures.runs} runs`);
  console.log(`  HTTP -> SQLite       ${fmt(figures.httpEventsPerSecond)} events/s   (p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms per batch)`);
  console.log(`  raw prepared insert  ${fmt(figures.rawRowsPerSecond)} rows/s`);
  console.log(`  ratio                ${fmt(figures.ratio, 2)} of the raw insert rate`);
  console.log(`  server peak RSS      ${fmt(figures.serverPeakRssMb)} MB`);
}
