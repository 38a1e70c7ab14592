/**
 * Finds a subject by the platform's user id, for requests that reach staff by mail: derive
 * the SDK's client hash, then the pseudonym under every key. The user id is used here and
 * forgotten: it is neither stored nor logged.
 */
import { identifiedHash } from '../crypto/client-hash.js';
import type { Services } from '../services.js';
import type { Actor } from '../store/store.js';
import type { SubjectRef } from './requests.js';

/**
 * @example await findSubjectByUserId(services, 'p_acme', 'user-42', { channel: 'staff', auth: 'admin_key:abc' })
 */
export async function findSubjectByUserId(services: Services, projectId: string, userId: string, actor: Actor): Promise<SubjectRef | undefined> {
  const names = services.pseudonymizer.candidates(projectId, identifiedHash(projectId, userId)).map((candidate) => candidate.pseudonym);
  const found = await services.store.loadSubjects(projectId, names);
  const pseudonym = names.find((name) => found.has(name));
  return pseudonym === undefined ? undefined : { projectId, pseudonym, actor };
}
