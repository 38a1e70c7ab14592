/**
 * Finds a subject by the platform's user id, for requests that reach staff by mail: derive
 * the SDK's client hash, then the pseudonym under every key. The user id is used here and
 * forgotten: it is neither stored nor logged.
 */
import { createHash } from 'node:crypto';
import type { Services } from '../services.js';
import type { SubjectRef } from './requests.js';

/** The SDK's client hash for a user id: base64url(SHA-256("heed:v1:" + projectId + ":" + id)). */
export function clientHash(projectId: string, userId: string): string {
  return createHash('sha256').update(`heed:v1:${projectId}:${userId}`).digest('base64url');
}

export async function findSubjectByUserId(services: Services, projectId: string, userId: string): Promise<SubjectRef | undefined> {
  const names = services.pseudonymizer.candidates(projectId, clientHash(projectId, userId)).map((candidate) => candidate.pseudonym);
  const found = await services.store.loadSubjects(projectId, names);
  const pseudonym = names.find((name) => found.has(name));
  return pseudonym === undefined ? undefined : { projectId, pseudonym, via: 'admin' };
}
