/**
 * Faults, with real server processes on a real SQLite file and the Node SDK retrying: the
 * server SIGKILLed every few seconds under 50,000 events, down for a minute while tracking
 * goes on (and the queue overflows), and a store held busy by another writer. Nothing is lost
 * that the SDK kept, nothing counts twice, and the database survives every crash intact.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeed } from '@heed/sdk/node';
import { BUILT_CLI, startServerProcess, type ServerProcess } from '@heed/server/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';

const DOWN_MS = Number(process.env.HEED_FAULT_DOWN_MS ?? 60_000);
let dataDir: string;
let server: ServerProcess;
let project: { projectId: string; writeKey: string };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'heed-faults-'));
  project = JSON.parse(execFileSync(process.execPath, [BUILT_CLI, 'project', 'create', '--name', 'faults', '--json'], { env: { ...process.env, HEED_DATA_DIR: dataDir } }).toString());
});
afterEach(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const dbPath = () => join(dataDir, 'heed.db');
function query<T>(sql: string): T[] {
  const db = new Database(dbPath(), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
const aggregateSum = (purpose: string, name: string) =>
  query<{ v: number }>(`SELECT coalesce(sum(value), 0) AS v FROM aggregates WHERE purpose = '${purpose}' AND grain = 'hour' AND metric = 'events' AND dim = '${name}'`)[0]!.v;

function client(options: { maxQueueEvents?: number; errors?: string[]; dropped?: number[] } = {}) {
  return createHeed({
    endpoint: server.url,
    writeKey: project.writeKey,
    projectId: project.projectId,
    heartbeatMs: 3_600_000,
    flushIntervalMs: 100,
    maxRetries: 1_000,
    retryBaseMs: 50,
    retryMaxMs: 500,
    maxQueueEvents: options.maxQueueEvents ?? 60_000,
    maxQueueBytes: 64 * 1024 * 1024,
    onError: (error) => {
      options.errors?.push(error.code);
      const count = /dropped (\d+)/.exec(error.message)?.[1];
      if (count) options.dropped?.push(Number(count));
    },
  });
}

async function waitFor(check: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('loses nothing and counts nothing twice while the server is SIGKILLed every few seconds', async () => {
  server = await startServerProcess({ env: { HEED_DATA_DIR: dataDir, HEED_RATE_PER_SECOND: '100000', HEED_RATE_BURST: '100000' } });
  const heed = client();
  await heed.consent.grant(['statistics']);
  let kills = 0;
  let tracking = true;
  const chaos = (async () => {
    while (tracking) {
      await new Promise((resolve) => setTimeout(resolve, 1_500 + Math.random() * 1_500));
      await server.kill();
      kills++;
      await server.restart();
    }
  })();
  const total = 50_000;
  for (let wave = 0; wave < 10; wave++) {
    for (let n = wave * 5_000; n < (wave + 1) * 5_000; n++) heed.track('fault.event', { n });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await waitFor(() => query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE type = 'track'`)[0]!.n >= total, 90_000);
  tracking = false;
  await chaos;
  await heed.shutdown();
  await server.stop();

  expect(kills).toBeGreaterThanOrEqual(3);
  console.log(`SIGKILL every 1.5-3 s: ${kills} kills, ${total} events sent, ${total} stored, 0 lost, 0 duplicated`);
  expect(query(`SELECT count(*) AS n, count(DISTINCT id) AS d FROM events WHERE type = 'track'`)).toEqual([{ n: total, d: total }]);
  expect(query(`SELECT count(DISTINCT json_extract(props, '$.n')) AS n FROM events WHERE type = 'track'`)).toEqual([{ n: total }]);
  expect(aggregateSum('statistics', 'fault.event')).toBe(total);
  expect(aggregateSum('update_timing', 'fault.event')).toBe(total);
  expect(query(`PRAGMA integrity_check`)).toEqual([{ integrity_check: 'ok' }]);
}, 180_000);

it(`delivers what was queued once after a ${DOWN_MS / 1000} s outage, dropping exactly the overflow`, async () => {
  server = await startServerProcess({ env: { HEED_DATA_DIR: dataDir } });
  const errors: string[] = [];
  const dropped: number[] = [];
  const heed = client({ maxQueueEvents: 1_000, errors, dropped });
  await heed.consent.grant(['statistics']);
  heed.track('before.outage', { n: -1 });
  await heed.flush();
  await waitFor(() => query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE name = 'before.outage'`)[0]!.n === 1, 10_000);
  await server.kill();
  // 1,200 events while the server is down: the queue keeps the newest 1,000.
  const perTick = 1_200 / (DOWN_MS / 500);
  let sent = 0;
  for (let elapsed = 0; elapsed < DOWN_MS; elapsed += 500) {
    for (let n = 0; n < perTick && sent < 1_200; n++) heed.track('during.outage', { n: sent++ });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  expect(sent).toBe(1_200);
  await server.restart();
  await waitFor(() => query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE name = 'during.outage'`)[0]!.n >= 1_000, 30_000);
  await heed.flush();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await heed.shutdown();
  await server.stop();
  const kept = query<{ n: number }>(`SELECT json_extract(props, '$.n') AS n FROM events WHERE name = 'during.outage' ORDER BY n`).map((row) => row.n);
  // Exactly the overflow was dropped (the oldest 200) and counted; the rest arrived once.
  expect(kept).toEqual(Array.from({ length: 1_000 }, (_, n) => n + 200));
  expect(dropped.reduce((a, b) => a + b, 0)).toBe(200);
  expect(errors.filter((code) => code === 'queue_overflow')).toHaveLength(dropped.length);
  console.log(`outage of ${DOWN_MS / 1000} s: 1200 tracked, ${kept.length} delivered once, ${dropped.reduce((a, b) => a + b, 0)} dropped and counted, 0 duplicated`);
  expect(aggregateSum('statistics', 'during.outage')).toBe(1_000);
}, DOWN_MS + 90_000);

it('answers 503 with Retry-After while another writer holds the lock, and the SDK retry gets the batch in', async () => {
  server = await startServerProcess({ env: { HEED_DATA_DIR: dataDir, HEED_BUSY_TIMEOUT_MS: '100', HEED_LOG_LEVEL: 'warn' } });
  const heed = client();
  await heed.consent.grant(['statistics']);
  const blocker = new Database(dbPath());
  blocker.exec('BEGIN IMMEDIATE');
  for (let n = 0; n < 10; n++) heed.track('while.busy', { n });
  await waitFor(() => server.output().includes('"type":"store_busy"'), 10_000);
  blocker.exec('COMMIT');
  blocker.close();
  await waitFor(() => query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE name = 'while.busy'`)[0]!.n === 10, 10_000);
  await heed.shutdown();
  expect(aggregateSum('statistics', 'while.busy')).toBe(10);
}, 60_000);
