/**
 * Ingest, three ways in one run for batches of 10, 50 and 200 events: Heed's `heed serve`
 * on SQLite over HTTP, a bare Hono route that answers 204 on the same body (the HTTP floor),
 * and raw better-sqlite3 prepared inserts (the storage floor). Same load generator
 * (lib/load.ts), each server in its own process. Then PostgreSQL at batches of 50
 * (ingest-postgres.ts: its raw-insert floor, one and two server processes).
 *
 *   pnpm --filter @heed/bench exec tsx ingest.ts [--seconds 5] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { benchIngestPostgres, type PostgresRow } from './ingest-postgres.js';
import { benchIngestSqlite, type IngestFigures } from './ingest-sqlite.js';
import { startBareProcess } from './lib/bare-process.js';
import { postBatches } from './lib/load.js';
import { residentMemory } from './lib/proc.js';
import { fmt, median } from './lib/stats.js';

export const BATCH_SIZES = [10, 50, 200] as const;

export interface FloorFigures {
  batchSize: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverPeakRssMb: number;
}

export interface IngestRow {
  batchSize: number;
  heed: IngestFigures;
  bareHono: FloorFigures;
}

export const POSTGRES_BATCH = 50;

export async function benchBareHono(options: { batchSize: number; seconds: number; runs: number; port?: number }): Promise<FloorFigures> {
  const port = options.port ?? 18_788;
  const bare = await startBareProcess('bare-hono.ts', [String(port)]);
  const runs: Awaited<ReturnType<typeof postBatches>>[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      runs.push(await postBatches({ url: `http://127.0.0.1:${port}`, writeKey: 'wk_bare', subjects: [{ subject: 'subject-bare', identity: 'unchecked' }], batchSize: options.batchSize, seconds: options.seconds }));
    }
    return {
      batchSize: options.batchSize,
      eventsPerSecond: median(runs.map((r) => r.eventsPerSecond)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      serverPeakRssMb: residentMemory(bare.child.pid!).peakRssMb,
    };
  } finally {
    await bare.stop();
  }
}

export async function benchIngest(options: { seconds: number; runs: number }): Promise<{ rows: IngestRow[]; postgres: PostgresRow[] }> {
  const rows: IngestRow[] = [];
  for (const batchSize of BATCH_SIZES) {
    const heed = await benchIngestSqlite({ batchSize, ...options });
    const bareHono = await benchBareHono({ batchSize, ...options });
    rows.push({ batchSize, heed, bareHono });
  }
  return { rows, postgres: await benchIngestPostgres({ batchSize: POSTGRES_BATCH, seconds: options.seconds, runs: options.runs }) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' } } });
  const { rows, postgres } = await benchIngest({ seconds: Number(values.seconds), runs: Number(values.runs) });
  console.log(`ingest, median of ${values.runs} runs of ${values.seconds} s`);
  for (const { batchSize, heed, bareHono } of rows) {
    console.log(`  batch ${batchSize}`);
    console.log(`    Heed HTTP -> SQLite  ${fmt(heed.httpEventsPerSecond).padStart(9)} ev/s  p50 ${heed.p50Ms} ms  p99 ${heed.p99Ms} ms  RSS ${fmt(heed.serverPeakRssMb)} MB`);
    console.log(`    bare Hono 204        ${fmt(bareHono.eventsPerSecond).padStart(9)} ev/s  p50 ${bareHono.p50Ms} ms  p99 ${bareHono.p99Ms} ms  RSS ${fmt(bareHono.serverPeakRssMb)} MB`);
    console.log(`    raw prepared insert  ${fmt(heed.rawRowsPerSecond).padStart(9)} rows/s`);
    console.log(`    Heed / raw ${fmt(heed.ratio, 2)}   Heed / bare Hono ${fmt(heed.httpEventsPerSecond / bareHono.eventsPerSecond, 2)}`);
  }
  for (const { label, figures } of postgres) console.log(`  ${label.padEnd(60)} ${fmt(figures.eventsPerSecond).padStart(9)} ev/s (batch ${POSTGRES_BATCH}, median of ${values.runs} runs)`);
}
