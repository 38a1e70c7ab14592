/**
 * `heed serve` as a separate OS process, for suites that kill and restart it (fault
 * injection) or that must not share an event loop with the load (benchmarks). Runs the built
 * CLI (`dist/cli.js`): `pnpm build` first, as the test and bench scripts do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** From `src/testing/` (tests) or from the bundled `dist/` (benchmarks importing the build). */
export const BUILT_CLI = [new URL('../../dist/cli.js', import.meta.url), new URL('./cli.js', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

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
  /** Everything the process wrote to stdout, across restarts. */
  readonly output: string[];
  /** Starts (or restarts) the process and waits until it listens. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no cleanup, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export function serverProcess(options: { port: number; env: Record<string, string>; args?: string[] }): ServerProcess {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run pnpm build first`);
  const output: string[] = [];
  let child: ChildProcess | undefined;
  const exited = (process: ChildProcess) =>
    new Promise<void>((resolve) => (process.exitCode !== null || process.signalCode !== null ? resolve() : process.once('exit', () => resolve())));
  return {
    url: `http://127.0.0.1:${options.port}`,
    output,
    async start() {
      const started = spawn(process.execPath, [BUILT_CLI, 'serve', '--port', String(options.port), ...(options.args ?? [])], {
        env: { ...process.env, HEED_LOG_LEVEL: 'warn', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      await new Promise<void>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`heed serve exited with ${code} before listening: ${output.slice(-5).join('')}`));
        started.once('exit', onExit);
        started.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
        started.stdout!.on('data', (chunk: Buffer) => {
          output.push(chunk.toString());
          if (chunk.toString().includes('listening on')) {
            started.off('exit', onExit);
            resolve();
          }
        });
      });
    },
    async kill() {
      if (!child) return;
      const current = child;
      current.kill('SIGKILL');
      await exited(current);
    },
    async stop() {
      if (!child) return;
      const current = child;
      current.kill('SIGTERM');
      await exited(current);
    },
  };
}
