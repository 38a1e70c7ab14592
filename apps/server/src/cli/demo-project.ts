/**
 * The demo project of `heed serve --demo`: created on first start, its keys kept in the data
 * directory (owner-only) so later starts can print them again. Secret keys are otherwise
 * shown once; this file exists only for the demo.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIdentity } from '@heed/sdk/node';
import { nanoid } from 'nanoid';
import { identifiedHash } from '../crypto/client-hash.js';
import { DEFAULT_OVERLAP_MS, rotateIdentitySecret } from '../identity/identity-admin.js';
import { createProject, type CreatedProject } from '../projects/projects.js';
import type { Services } from '../services.js';

export async function ensureDemoProject(services: Services, dataDir: string): Promise<CreatedProject> {
  const file = join(dataDir, 'demo-project.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<CreatedProject> & Pick<CreatedProject, 'projectId'>;
    if (saved.identitySecret && saved.backendKey) return saved as CreatedProject;
    // A demo from before identity verification: give it a secret and a backend key, and enforce.
    const actor = { channel: 'system', auth: 'demo' } as const;
    const { secret } = await rotateIdentitySecret(services, saved.projectId, DEFAULT_OVERLAP_MS, actor);
    const { createKey } = await import('../projects/projects.js');
    const { key } = await createKey(services.store, { projectId: saved.projectId, kind: 'backend', label: 'demo', now: services.clock.now() });
    await services.store.setIdentityMode(saved.projectId, 'enforce');
    const upgraded = { ...saved, backendKey: key, identitySecret: secret } as CreatedProject;
    writeFileSync(file, `${JSON.stringify(upgraded, null, 2)}\n`, { mode: 0o600 });
    return upgraded;
  }
  const created = await createProject(services.store, services.identityKeys, { name: 'Demo', now: services.clock.now() });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

/**
 * A copy-paste example: one consent decision and one batch, as the SDK would send them for a
 * logged-in user, with the identity assertion a platform backend would sign (valid 24 hours).
 */
export function demoCurl(url: string, project: CreatedProject, policyVersion: string, now: number): string {
  const subject = identifiedHash(project.projectId, 'demo-user');
  const identity = signIdentity({ secret: project.identitySecret, projectId: project.projectId, userId: 'demo-user', now });
  const sessionId = nanoid();
  const consent = { writeKey: project.writeKey, subject, identity, policyVersion, purposes: { statistics: true, update_timing: true, marketing: false }, gpc: false, ts: now };
  const batch = {
    writeKey: project.writeKey, sentAt: now, tz: 'Europe/Brussels', device: 'desktop', sdk: 'curl/demo', proofs: { [subject]: { identity } },
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
