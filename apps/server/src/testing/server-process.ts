/**
 * `heed serve` as a separate OS process, for suites that kill and restart it (faults, many
 * processes on PostgreSQL) or that must not share an event loop with the load (benchmarks).
 * Each process has its own event loop, pool and caches, on a fixed port so a restarted one
 * comes back at the same address. Runs the built CLI by default (the test and bench scripts
 * build first); `from: 'source'` runs the sources through tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** From `src/testing/` (tests) or from the bundled `dist/` (benchmarks importing the build). */
export const BUILT_CLI = [new URL('../../dist/cli.js', import.meta.url), new URL('./cli.js', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SOURCE_CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** A free TCP port on the loopback interface, so a restarted server can take the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  /** The current child (replaced by `restart`). */
  readonly child: ChildProcess;
  /** The last 16 KiB the process wrote (stdout and stderr), across restarts. */
  output(): string;
  /** SIGKILL: no shutdown, in-flight requests die with the process, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until `/readyz` answers. */
  restart(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  readonly env: Record<string, string>;
  readonly port?: number;
  readonly from?: 'dist' | 'source';
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`heed serve exited with ${child.exitCode}:\n${output()}`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`heed serve at ${url} not ready after 30 s:\n${output()}`);
}

/**
 * @example const server = await startServerProcess({ env: { HEED_DATA_DIR: dir } }); await server.kill(); await server.restart();
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const cli = options.from === 'source' ? ['--import', 'tsx', SOURCE_CLI] : [BUILT_CLI];
  if (options.from !== 'source' && !existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run pnpm build first`);
  let child!: ChildProcess;
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-16_384));
  const launch = async () => {
    child = spawn(process.execPath, [...cli, 'serve'], {
      env: { ...process.env, HEED_LOG_LEVEL: 'warn', ...options.env, HEED_PORT: String(port), HEED_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitReady(url, child, () => output);
  };
  await launch();
  return {
    url,
    port,
    get child() {
      return child;
    },
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: launch,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
