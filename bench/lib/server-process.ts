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
import { signSubjectHash } from '@heed/sdk/node';
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

/** Runs `heed <args>`, answering what it printed; `progress: false` drops what it writes to stderr (progress lines). */
export function runCli(args: string[], env: Record<string, string>, options: { progress?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', options.progress === false ? 'ignore' : 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`heed ${args.join(' ')} exited with ${code}`))));
  });
}

export function clientHash(projectId: string, userId: string): string {
  return createHash('sha256').update(`heed:v1:${projectId}:${userId}`).digest('base64url');
}

/** What `heed project create --json` prints, as far as a benchmark needs it. */
export interface BenchProject {
  readonly projectId: string;
  readonly writeKey: string;
  readonly analystKey: string;
  /**
   * Signs the identity assertions every identified subject's decisions and batches carry.
   * Absent for a build from before identity verification (an A/B against such a parent).
   */
  readonly identitySecret?: string;
}

/** A consenting subject: its client hash and the identity assertion its batches carry (none for an unsigned build). */
export interface BenchSubject {
  readonly subject: string;
  readonly identity?: string;
}

/**
 * Identified subjects as a correctly integrated platform sends them: the assertion its backend
 * signs for the logged-in user (valid 24 hours), made once per subject, before any timed run,
 * so a load generator sends a ready string and the server's verification is in the figure.
 */
export function signedSubjects(project: BenchProject, count: number, prefix = 'bench-user'): BenchSubject[] {
  return Array.from({ length: count }, (_, n) => {
    const subject = clientHash(project.projectId, `${prefix}-${n}`);
    const secret = project.identitySecret;
    return secret === undefined ? { subject } : { subject, identity: signSubjectHash({ secret, projectId: project.projectId, subject }) };
  });
}

/**
 * Consents `count` subjects to statistics, `parallel` requests at a time; returns them signed.
 */
export async function consentSubjects(url: string, project: BenchProject, count: number, policyVersion: string, parallel = 8): Promise<BenchSubject[]> {
  const subjects = signedSubjects(project, count);
  for (let start = 0; start < subjects.length; start += parallel) {
    await Promise.all(subjects.slice(start, start + parallel).map(async ({ subject, identity }) => {
      const response = await fetch(`${url}/v1/consent`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ writeKey: project.writeKey, subject, identity, policyVersion, purposes: { statistics: true }, ts: Date.now() }),
      });
      if (response.status !== 200) throw new Error(`consent failed: ${response.status} ${await response.text()}`);
    }));
  }
  return subjects;
}
