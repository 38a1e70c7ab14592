/**
 * Subject tokens beyond the one a device gets with its decision: the platform's backend mints
 * a fresh token (or a privacy-page link) for its logged-in user server-to-server, so a second
 * device or a lost token is not the end of self-service; the subject (or staff, on request)
 * revokes old ones. Issuing is recorded in the ledger with who asked.
 */
import { DomainError } from '../errors/domain-error.js';
import { identifiedHash } from '../crypto/client-hash.js';
import { resolveSubjects } from '../identity/resolve-subjects.js';
import type { Services } from '../services.js';
import type { Actor } from '../store/store.js';
import type { SubjectRef } from './requests.js';
import { newSubjectToken } from './subject-tokens.js';

/**
 * @example await mintSubjectToken(services, 'p_acme', 'user-42', { channel: 'backend', auth: 'backend_key:abc' }) // { subjectToken, tokenId }
 */
export async function mintSubjectToken(services: Services, projectId: string, userId: string, actor: Actor) {
  const clientHash = identifiedHash(projectId, userId);
  const { pseudonym, record } = (await resolveSubjects(services, projectId, [clientHash])).get(clientHash)!;
  if (record === undefined || record.state.erased) throw new DomainError('not_found', { detail: 'No data is held about this user id in this project.' });
  const { token, stored } = newSubjectToken(actor.channel);
  const now = services.clock.now();
  const policy = await services.policies.forProject(projectId);
  const issued = await services.store.issueToken(stored, {
    projectId, pseudonym, action: 'token_issued', policyVersion: policy.document.version, policyHash: policy.hash, detail: {}, at: now, actor,
  });
  if (!issued) throw new DomainError('not_found', { detail: 'No data is held about this user id in this project.' });
  return { subjectToken: token, tokenId: stored.id };
}

/**
 * Revokes the subject's tokens, all but `keepId` (the one the subject is using).
 *
 * @example await revokeSubjectTokens(services, ref, currentTokenId) // { revoked: 2 }
 */
export async function revokeSubjectTokens(services: Services, ref: SubjectRef, keepId?: string) {
  const revoked = await services.store.revokeTokens({ projectId: ref.projectId, pseudonym: ref.pseudonym }, keepId);
  return { revoked };
}
