/**
 * One SDK per process (a fresh heap and fresh globals): installs the DOM shim, creates the
 * SDK, then times `track` in samples of SAMPLE calls. A sample includes the promise work
 * the calls start (awaited, then one macrotask turn), not timer-driven batch delivery,
 * which no SDK does per call. Prints one JSON line.
 *
 *   node --expose-gc --import tsx lib/sdk-call-worker.ts Heed [runs]
 */
import { performance } from 'node:perf_hooks';
import { installDomShim } from './dom-shim.js';
import { DRIVERS, type Driver } from './sdk-drivers.js';
import { median } from './stats.js';

const SAMPLE = 100;
const SAMPLES_PER_RUN = 20;
const ALLOC_CALLS = 20_000;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function timeSample(driver: Driver): Promise<number> {
  const pending: unknown[] = [];
  const started = performance.now();
  for (let n = 0; n < SAMPLE; n++) {
    const result = driver.track();
    if (result && typeof (result as Promise<unknown>).then === 'function') pending.push(result);
  }
  if (pending.length) await Promise.all(pending);
  await turn();
  return ((performance.now() - started) * 1e6) / SAMPLE;
}

/** Median ns per call of each run (warm-up first); the caller takes the median of these. */
async function timeRuns(driver: Driver, runs: number): Promise<number[]> {
  for (let n = 0; n < 10; n++) {
    await timeSample(driver);
    await driver.between?.();
  }
  const perRun: number[] = [];
  for (let run = 0; run < runs; run++) {
    const samples: number[] = [];
    for (let n = 0; n < SAMPLES_PER_RUN; n++) {
      samples.push(await timeSample(driver));
      await driver.between?.();
      await turn();
    }
    perRun.push(median(samples));
  }
  return perRun;
}

/** Heap growth over ALLOC_CALLS synchronous calls after a full GC, bytes per call. */
function bytesPerCall(driver: Driver): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let n = 0; n < 2_000; n++) driver.track();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let n = 0; n < ALLOC_CALLS; n++) driver.track();
  return Math.max(0, process.memoryUsage().heapUsed - before) / ALLOC_CALLS;
}

const name = process.argv[2] ?? '';
const runs = Number(process.argv[3] ?? 5);
const spec = DRIVERS[name];
if (!spec) throw new Error(`no driver named ${name}; known: ${Object.keys(DRIVERS).join(', ')}`);
const counters = installDomShim(spec.respond);
const driver = await spec.create();
await turn();
const before = { ...counters };
const onRuns = await timeRuns(driver, runs);
const onCalls = (10 + runs * SAMPLES_PER_RUN) * SAMPLE;
const perCall = {
  requests: (counters.requests - before.requests) / onCalls,
  storageWrites: (counters.storageWrites - before.storageWrites) / onCalls,
};
let offRuns: number[] = [];
const allocRuns: number[] = [];
if (driver.optOut) {
  await driver.optOut();
  await turn();
  offRuns = await timeRuns(driver, runs);
  for (let run = 0; run < runs; run++) allocRuns.push(bytesPerCall(driver));
}
process.stdout.write(
  JSON.stringify({ name, onRuns, offRuns, allocRuns, requestsPerCall: perCall.requests, storageWritesPerCall: perCall.storageWrites, note: spec.note ?? '' }) + '\n',
);
process.exit(0);
