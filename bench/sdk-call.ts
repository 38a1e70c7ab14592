/**
 * SDK cost per call: nanoseconds per `track` with a small props object, Heed beside each
 * peer, tracking on and after the SDK's own opt-out, plus heap bytes per call after opt-out.
 * Each SDK runs in its own Node process under happy-dom with the network replaced by
 * counting no-ops (see lib/dom-shim.ts); figures are medians of runs after a warm-up.
 *
 *   pnpm --filter @heed/bench exec tsx sdk-call.ts [--runs 5]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DRIVERS } from './lib/sdk-drivers.js';
import { fmt, median } from './lib/stats.js';

export interface CallFigure {
  name: string;
  onNsPerCall: number;
  /** Smallest and largest run median, to show the spread on a shared machine. */
  onRange: [number, number];
  offNsPerCall: number | null;
  offBytesPerCall: number | null;
  requestsPerCall: number;
  storageWritesPerCall: number;
  note: string;
}

interface WorkerOutput {
  name: string;
  onRuns: number[];
  offRuns: number[];
  allocRuns: number[];
  requestsPerCall: number;
  storageWritesPerCall: number;
  note: string;
}

const WORKER = fileURLToPath(new URL('./lib/sdk-call-worker.ts', import.meta.url));

function runWorker(name: string, runs: number): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    // A larger young generation, so the allocation count after opt-out is not cut by a scavenge.
    const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', WORKER, name, String(runs)], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`sdk-call worker for ${name} exited with ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(line) as WorkerOutput);
    });
  });
}

export async function benchSdkCall(options: { runs: number }): Promise<CallFigure[]> {
  const figures: CallFigure[] = [];
  for (const name of Object.keys(DRIVERS)) {
    const out = await runWorker(name, options.runs);
    figures.push({
      name,
      onNsPerCall: median(out.onRuns),
      onRange: [Math.min(...out.onRuns), Math.max(...out.onRuns)],
      offNsPerCall: out.offRuns.length ? median(out.offRuns) : null,
      offBytesPerCall: out.allocRuns.length ? median(out.allocRuns) : null,
      requestsPerCall: out.requestsPerCall,
      storageWritesPerCall: out.storageWritesPerCall,
      note: out.note,
    });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const figures = await benchSdkCall({ runs: Number(values.runs) });
  const heed = figures[0]!;
  console.log(`SDK cost per track call, median of ${values.runs} runs (ns; x = this / Heed)`);
  for (const f of figures) {
    const off = f.offNsPerCall === null ? 'n/a' : `${fmt(f.offNsPerCall)} ns, ${fmt(f.offBytesPerCall ?? 0, 1)} B`;
    console.log(
      `  ${f.name.padEnd(22)} on ${fmt(f.onNsPerCall).padStart(9)} ns (${fmt(f.onNsPerCall / heed.onNsPerCall, 2)}x)  off ${off.padEnd(18)} req/call ${fmt(f.requestsPerCall, 2)}  writes/call ${fmt(f.storageWritesPerCall, 2)}  ${f.note}`,
    );
  }
}
