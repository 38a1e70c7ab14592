/**
 * Benchmarks run `heed serve` as a separate process (the load generator must not share its
 * event loop): the process helper is the one the tests use (`@heed/server/testing`), here
 * with a fresh data directory and rate limits out of the way; plus the CLI and consent
 * helpers that set a run up.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_CLI, startServerProcess as startProcess, type ServerProcess as Process } from '@heed/server/testing';

export const CLI = BUILT_CLI;

export interface ServerProcess extends Pick<Process, 'url' | 'child' | 'stop'> {
  readonly dataDir: string;
}

export async function startServerProcess(options: { port: number; env?: Record<string, string>; dataDir?: string }): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'heed-bench-'));
  const server = await startProcess({
    port: options.port,
    env: { HEED_DATA_DIR: dataDir, HEED_RATE_PER_SECOND: '1000000', HEED_RATE_BURST: '1000000', ...options.env },
  });
  return { url: server.url, get child() { return server.child; }, dataDir, stop: () => server.stop() };
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
