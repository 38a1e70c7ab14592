/**
 * Retention on SQLite against its floor: `heed retention run` on a copy of a kept dataset (the
 * data directory `queries.ts --data-dir` leaves), beside one DELETE of the same raw events on
 * another copy (every event that arrived before the same cut, in one statement, with the
 * `secure_delete` Heed runs under: what SQLite alone takes to delete those rows). Heed's
 * figure includes its process start and its chunks of 5,000 rows, each a transaction that
 * ingest could go between. Runs alternate; medians of the runs are printed.
 *
 *   pnpm --filter @heed/bench exec tsx retention.ts --data-dir /work/bench-data/10k [--runs 3]
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { runCli } from './lib/server-process.js';
import { fmt, median } from './lib/stats.js';

const DAY_MS = 86_400_000;
/** The default policy keeps raw events this long (`retention.rawEvents`, P30D). */
const RAW_EVENTS_DAYS = 30;

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, runs: { type: 'string', default: '3' } } });
const source = values['data-dir'];
if (source === undefined || !existsSync(join(source, 'heed.db'))) throw new Error('name a kept dataset with --data-dir (bench/queries.ts --data-dir DIR makes one)');
const runs = Number(values.runs);

/** A throwaway copy of the dataset: each run deletes from its own. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-retention-'));
  cpSync(source!, dir, { recursive: true });
  return dir;
}

async function heed(): Promise<{ seconds: number; rows: number }> {
  const dir = copy();
  try {
    const started = performance.now();
    const out = await runCli(['retention', 'run', '--json'], { HEED_DATA_DIR: dir, HEED_LOG_LEVEL: 'warn' }, { progress: false });
    const seconds = (performance.now() - started) / 1_000;
    return { seconds, rows: (JSON.parse(out) as { deleted: { rawEvents: number } }).deleted.rawEvents };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function floor(): { seconds: number; rows: number } {
  const dir = copy();
  try {
    const started = performance.now();
    const db = new Database(join(dir, 'heed.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('secure_delete = ON');
    db.pragma('cache_size = -32768');
    const rows = db.prepare('DELETE FROM events WHERE received_at <= ?').run(Date.now() - RAW_EVENTS_DAYS * DAY_MS).changes;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { seconds: (performance.now() - started) / 1_000, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heedRuns: { seconds: number; rows: number }[] = [];
const floorRuns: { seconds: number; rows: number }[] = [];
for (let run = 1; run <= runs; run++) {
  heedRuns.push(await heed());
  floorRuns.push(floor());
  console.log(`run ${run}: heed ${fmt(heedRuns.at(-1)!.seconds, 2)} s (${fmt(heedRuns.at(-1)!.rows)} raw events), one DELETE ${fmt(floorRuns.at(-1)!.seconds, 2)} s (${fmt(floorRuns.at(-1)!.rows)}), load ${fmt(loadavg()[0]!, 2)}`);
}
const heedSeconds = median(heedRuns.map((run) => run.seconds));
const floorSeconds = median(floorRuns.map((run) => run.seconds));
const rows = median(heedRuns.map((run) => run.rows));
console.log(`\nretention of ${fmt(rows)} raw events older than ${RAW_EVENTS_DAYS} days, median of ${runs} runs:`);
console.log(`  heed retention run   ${fmt(heedSeconds, 2)} s   ${fmt(rows / heedSeconds)} rows/s`);
console.log(`  one DELETE (floor)   ${fmt(floorSeconds, 2)} s   ${fmt(rows / floorSeconds)} rows/s`);
console.log(`  heed / floor         ${fmt(heedSeconds / floorSeconds, 2)}x the time`);
