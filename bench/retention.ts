/**
 * Retention on SQLite against its floor: `heed retention run` on a copy of a kept dataset (the
 * data directory `queries.ts --data-dir` leaves), beside plain DELETEs of the same rows on
 * another copy (one statement per table, with the `secure_delete` Heed runs under: what SQLite
 * alone takes to delete those rows). Raw events go after 30 days (the default policy); with
 * `--activity-weeks N` the run also takes the sessions and activity marks older than N weeks
 * (a policy file with that period), which the dataset's 12 weeks otherwise keep. Heed's figure
 * includes its process start and its chunks of 5,000 rows, each a transaction that ingest could
 * go between. Runs alternate; medians of the runs are printed.
 *
 *   pnpm --filter @heed/bench exec tsx retention.ts --data-dir /work/bench-data/10k [--runs 3] [--activity-weeks 6]
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY, parseDuration, subtractDuration } from '@heed/policy';
import Database from 'better-sqlite3';
import { runCli } from './lib/server-process.js';
import { fmt, median } from './lib/stats.js';

const DAY_MS = 86_400_000;
/** The default policy keeps raw events this long (`retention.rawEvents`, P30D). */
const RAW_EVENTS_DAYS = 30;

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, runs: { type: 'string', default: '3' }, 'activity-weeks': { type: 'string' } } });
const source = values['data-dir'];
if (source === undefined || !existsSync(join(source, 'heed.db'))) throw new Error('name a kept dataset with --data-dir (bench/queries.ts --data-dir DIR makes one)');
const runs = Number(values.runs);
const activity = values['activity-weeks'] === undefined ? DEFAULT_POLICY.retention.activity : `P${Number(values['activity-weeks'])}W`;
/** A later version of the default policy with the activity period asked for (a shorter period is a substantial change). */
const policy = { ...DEFAULT_POLICY, version: '2099-01-01', substantial: true, history: [{ version: DEFAULT_POLICY.version, substantial: DEFAULT_POLICY.substantial }], retention: { ...DEFAULT_POLICY.retention, activity } };

interface Run {
  readonly seconds: number;
  /** Rows deleted: raw events, sessions, activity marks. */
  readonly rows: readonly [number, number, number];
}

/** A throwaway copy of the dataset: each run deletes from its own. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heed-bench-retention-'));
  cpSync(source!, dir, { recursive: true });
  return dir;
}

async function heed(): Promise<Run> {
  const dir = copy();
  try {
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    const started = performance.now();
    const out = await runCli(['retention', 'run', '--json'], { HEED_DATA_DIR: dir, HEED_LOG_LEVEL: 'warn', HEED_POLICY_FILE: policyFile }, { progress: false });
    const seconds = (performance.now() - started) / 1_000;
    const { deleted } = JSON.parse(out) as { deleted: { rawEvents: number; sessions: number; activity: number } };
    return { seconds, rows: [deleted.rawEvents, deleted.sessions, deleted.activity] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function floor(): Run {
  const dir = copy();
  try {
    const now = Date.now();
    const rawCut = subtractDuration(now, parseDuration(DEFAULT_POLICY.retention.rawEvents)!);
    const activityCut = subtractDuration(now, parseDuration(activity)!);
    const started = performance.now();
    const db = new Database(join(dir, 'heed.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('secure_delete = ON');
    db.pragma('cache_size = -32768');
    const rows = [
      db.prepare('DELETE FROM events WHERE received_at <= ?').run(rawCut).changes,
      db.prepare('DELETE FROM sessions WHERE last_seen_at <= ?').run(activityCut).changes,
      db.prepare('DELETE FROM activity WHERE bucket <= ?').run(activityCut).changes,
    ] as const;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { seconds: (performance.now() - started) / 1_000, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rowsOf = (run: Run) => run.rows.map((count) => fmt(count)).join(' / ');
const heedRuns: Run[] = [];
const floorRuns: Run[] = [];
for (let run = 1; run <= runs; run++) {
  heedRuns.push(await heed());
  floorRuns.push(floor());
  console.log(`run ${run}: heed ${fmt(heedRuns.at(-1)!.seconds, 2)} s (${rowsOf(heedRuns.at(-1)!)}), plain DELETEs ${fmt(floorRuns.at(-1)!.seconds, 2)} s (${rowsOf(floorRuns.at(-1)!)}), load ${fmt(loadavg()[0]!, 2)}`);
}
const heedSeconds = median(heedRuns.map((run) => run.seconds));
const floorSeconds = median(floorRuns.map((run) => run.seconds));
const rows = heedRuns[0]!.rows.reduce((sum, count) => sum + count, 0);
console.log(`\nretention of raw events older than 30 days and sessions and activity marks older than ${activity} (${rowsOf(heedRuns[0]!)} rows), median of ${runs} runs:`);
console.log(`  heed retention run   ${fmt(heedSeconds, 2)} s   ${fmt(rows / heedSeconds)} rows/s`);
console.log(`  plain DELETEs        ${fmt(floorSeconds, 2)} s   ${fmt(rows / floorSeconds)} rows/s`);
console.log(`  heed / floor         ${fmt(heedSeconds / floorSeconds, 2)}x the time`);
