/**
 * Starts one of the floor servers (`bare-hono.ts`, `bare-postgres-server.ts`) in a process of
 * its own, as `heed serve` runs in its own, and stops it.
 *
 * @example const bare = await startBareProcess('bare-hono.ts', ['18788']); ...; await bare.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BareProcess {
  readonly child: ChildProcess;
  readonly stop: () => Promise<void>;
}

export async function startBareProcess(script: string, args: readonly string[]): Promise<BareProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./${script}`, import.meta.url)), ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
  });
  child.removeAllListeners('exit');
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { child, stop };
}
