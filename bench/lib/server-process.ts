/**
 * Starts `heed serve` as a separate process (the load generator must not share its event
 * loop), waits until it listens, and creates a project with consenting subjects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../apps/server/dist/cli.js', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startServerProcess(options: { port: number; env?: Record<string, string>; dataDir?: string }): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'heed-bench-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(options.port)], {
    env: { ...process.env, HEED_DATA_DIR: dataDir, HEED_LOG_LEVEL: 'warn', HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${options.port}`;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return {
    url,
    child,
    dataDir,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function runCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`heed ${args.join(' ')} exited with ${code}`))));
  });
}

export function clientHash(projectId: string, userId: string): string {
  return createHash('sha256').update(`heed:v1:${projectId}:${userId}`).digest('base64url');
}

/** Consents `count` subjects to statistics and update timing; returns their client hashes. */
export async function consentSubjects(url: string, writeKey: string, projectId: string, count: number, policyVersion: string): Promise<string[]> {
  const subjects: string[] = [];
  for (let n = 0; n < count; n++) {
    const subject = clientHash(projectId, `bench-user-${n}`);
    const response = await fetch(`${url}/v1/consent`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey, subject, policyVersion, purposes: { statistics: true }, ts: Date.now() }),
    });
    if (response.status !== 200) throw new Error(`consent failed: ${response.status}`);
    subjects.push(subject);
  }
  return subjects;
}
