/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL back into the database file
 * and fsyncs it; run by SQLite's auto-checkpoint it happens inside whichever commit crosses
 * the threshold, so one ingest request in a thousand stalls the event loop for the length of
 * an fsync (tens of milliseconds on this machine's disk). A PASSIVE checkpoint from another
 * connection never blocks writers, so here it runs beside the server instead of inside it;
 * the main connection keeps a high auto-checkpoint threshold as a safety net.
 *
 * Pace: the WAL restarts from its start only when a write transaction begins with every frame
 * already copied. Under steady ingest a checkpoint once a second never catches up (tens of
 * thousands of frames arrive while it copies), the WAL reaches the safety net, and the commits
 * on the main thread checkpoint after all (3-4% of its time in a profile at 90,000 events/s).
 * So while checkpoints find new frames the worker runs them back to back, each copying only
 * the last few commits, and the writer soon finds the WAL copied and restarts it; an idle
 * WAL is looked at once per interval.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// CommonJS, evaluated in the worker: better-sqlite3 is loaded by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let last = '';
let timer;
const checkpoint = () => {
  let active = false;
  try {
    // { busy, log: frames in the WAL, checkpointed: frames of them copied }
    const result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    const seen = result.log + ':' + result.checkpointed;
    active = seen !== last;
    last = seen;
  } catch (error) {
    // A busy database is retried at the next tick; anything else is reported.
    if (error && error.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(error) });
  }
  timer = setTimeout(checkpoint, active ? workerData.activeIntervalMs : workerData.intervalMs);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** Between checkpoints while the WAL keeps growing: a few commits' worth of frames each. */
export const ACTIVE_CHECKPOINT_INTERVAL_MS = 5;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * @example const checkpointer = startCheckpointer('./data/heed.db', 1_000, (message) => logger.warn(message)); // idle WAL: once a second
 */
export function startCheckpointer(path: string, intervalMs: number, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, activeIntervalMs: Math.min(intervalMs, ACTIVE_CHECKPOINT_INTERVAL_MS), driver } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(`WAL checkpoint failed: ${message.error}`);
  });
  worker.on('error', (error) => onError(`WAL checkpointer stopped: ${String(error)}`));
  // Never keeps the process alive on its own.
  worker.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        // Held while stopping: an unref'd worker would let the process exit mid-close.
        worker.ref();
        const deadline = setTimeout(() => void worker.terminate(), 2_000);
        worker.once('exit', () => {
          clearTimeout(deadline);
          resolve();
        });
        worker.postMessage('stop');
      });
      return stopping;
    },
  };
}
