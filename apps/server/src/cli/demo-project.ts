/**
 * The demo project of `heed serve --demo`: created on first start, its keys kept in the data
 * directory (owner-only) so later starts can print them again. Secret keys are otherwise
 * shown once; this file exists only for the demo.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { createProject, type CreatedProject } from '../projects/projects.js';
import type { Services } from '../services.js';

export async function ensureDemoProject(services: Services, dataDir: string): Promise<CreatedProject> {
  const file = join(dataDir, 'demo-project.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CreatedProject;
  const created = await createProject(services.store, { name: 'Demo', now: services.clock.now() });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

/** A copy-paste example: one consent decision and one batch, as the SDK would send them. */
export function demoCurl(url: string, project: CreatedProject, policyVersion: string, now: number): string {
  const subject = createHash('sha256').update(`heed:v1:${project.projectId}:demo-user`).digest('base64url');
  const sessionId = nanoid();
  const consent = { writeKey: project.writeKey, subject, policyVersion, purposes: { statistics: true, update_timing: true, marketing: false }, gpc: false, ts: now };
  const batch = {
    writeKey: project.writeKey, sentAt: now, tz: 'Europe/Brussels', device: 'desktop', sdk: 'curl/demo',
    events: [
      { id: nanoid(), type: 'session_start', ts: now, sessionId, subject },
      { id: nanoid(), type: 'track', ts: now, sessionId, subject, name: 'report.exported', durationMs: 420, props: { format: 'pdf' } },
      { id: nanoid(), type: 'heartbeat', ts: now, sessionId, subject, activeMs: 15000 },
    ],
  };
  const post = (path: string, body: unknown) =>
    `curl -s -X POST ${url}${path} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
  return `${post('/v1/consent', consent)}\n${post('/v1/batch', batch)}`;
}
