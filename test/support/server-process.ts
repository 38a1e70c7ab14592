/**
 * Real `heed serve` processes for the multi-process suites and benchmarks: each is a separate
 * Node process (its own event loop, pool and caches), started from the sources with tsx or
 * from the built CLI, on a fixed port so a restarted process comes back at the same address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  /** The current child (replaced by `restart`). */
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown, in-flight requests die with the process. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  readonly env: Record<string, string>;
  /** `source` runs `apps/server/src/cli.ts` through tsx (tests); `dist` the built CLI (benchmarks). */
  readonly from?: 'source' | 'dist';
  readonly port?: number;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`heed serve exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // Not listening yet: the loop's next poll is the retry.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`heed serve at ${url} not ready after 30 s:\n${output()}`);
}

/**
 * @example const server = await startServerProcess({ env: { HEED_DATABASE_URL: url, HEED_PSEUDONYM_KEY: key } });
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let output = '';
  const launch = async () => {
    const args = options.from === 'dist' ? ['apps/server/dist/cli.js', 'serve'] : ['--import', 'tsx', 'apps/server/src/cli.ts', 'serve'];
    output = '';
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HEED_LOG_LEVEL: 'warn', ...options.env, HEED_PORT: String(port), HEED_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
    await waitReady(url, child, () => output);
  };
  await launch();
  return {
    url,
    port,
    get child() {
      return child;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await launch();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
