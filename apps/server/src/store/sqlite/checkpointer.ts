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
 *
 * Truncation: a WAL frame is a copy of a page as a commit wrote it, so frames older than an
 * erasure still hold the erased rows, and the file keeps them (a restarted WAL is overwritten
 * from its start, never shortened) until a TRUNCATE checkpoint empties it. `truncate()` asks
 * for one, retried while a reader holds an older snapshot, and says whether it happened.
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
// Truncations asked for and not yet done: { id, until } (a deadline after which it gives up).
const truncations = [];
const truncate = () => {
  if (truncations.length === 0) return;
  let done = false;
  // Waits for readers no longer than the nearest deadline asked for.
  const until = Math.min(...truncations.map((asked) => asked.until));
  db.pragma('busy_timeout = ' + Math.max(0, Math.min(5000, until - Date.now())));
  try {
    // busy: a reader still uses frames of the WAL, so it was copied but not emptied.
    done = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy === 0;
  } catch (error) {
    if (!error || error.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(error) });
  }
  db.pragma('busy_timeout = 5000');
  const now = Date.now();
  for (const asked of truncations.splice(0)) {
    if (done || now >= asked.until) parentPort.postMessage({ truncated: asked.id, done });
    else truncations.push(asked);
  }
};
const checkpoint = () => {
  let active = false;
  truncate();
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
  timer = setTimeout(checkpoint, active || truncations.length > 0 ? workerData.activeIntervalMs : workerData.intervalMs);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.truncate !== undefined) {
    truncations.push({ id: message.truncate, until: Date.now() + message.withinMs });
    clearTimeout(timer);
    checkpoint();
    return;
  }
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** Between checkpoints while the WAL keeps growing: a few commits' worth of frames each. */
export const ACTIVE_CHECKPOINT_INTERVAL_MS = 5;

/** How long a truncation waits, by default, for readers of older snapshots before it gives up. */
export const TRUNCATE_WITHIN_MS = 10_000;

export interface Checkpointer {
  /** Empties the WAL (a TRUNCATE checkpoint); false when readers kept it busy for `truncateWithinMs`. */
  truncate(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * @example const checkpointer = startCheckpointer('./data/heed.db', 1_000, (message) => logger.warn(message)); // idle WAL: once a second
 */
export function startCheckpointer(path: string, intervalMs: number, onError: (message: string) => void, truncateWithinMs = TRUNCATE_WITHIN_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, activeIntervalMs: Math.min(intervalMs, ACTIVE_CHECKPOINT_INTERVAL_MS), driver } });
  const waiting = new Map<number, (done: boolean) => void>();
  let asked = 0;
  worker.on('message', (message: { error?: string; truncated?: number; done?: boolean }) => {
    if (message.error) onError(`WAL checkpoint failed: ${message.error}`);
    if (message.truncated !== undefined) {
      waiting.get(message.truncated)?.(message.done === true);
      waiting.delete(message.truncated);
      // Nothing left to answer: the worker again never keeps the process alive on its own.
      if (waiting.size === 0 && !stopping) worker.unref();
    }
  });
  worker.on('error', (error) => onError(`WAL checkpointer stopped: ${String(error)}`));
  // Never keeps the process alive on its own.
  worker.unref();
  let stopping: Promise<void> | undefined;
  return {
    truncate() {
      if (stopping) return Promise.resolve(false);
      const id = ++asked;
      worker.ref();
      worker.postMessage({ truncate: id, withinMs: truncateWithinMs });
      return new Promise<boolean>((resolve) => waiting.set(id, resolve));
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        // Held while stopping: an unref'd worker would let the process exit mid-close.
        worker.ref();
        const deadline = setTimeout(() => void worker.terminate(), 2_000);
        worker.once('exit', () => {
          clearTimeout(deadline);
          for (const answer of waiting.values()) answer(false);
          waiting.clear();
          resolve();
        });
        worker.postMessage({ stop: true });
      });
      return stopping;
    },
  };
}
