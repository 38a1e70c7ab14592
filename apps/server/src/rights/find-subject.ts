/**
 * Finds a subject by the platform's user id, for requests that reach staff by mail: derive
 * the SDK's client hash, then the subject it has under any key (identity/resolve-subjects.ts).
 * The user id is used here and forgotten: it is neither stored nor logged.
 */
import { identifiedHash } from '../crypto/client-hash.js';
import { resolveSubjects } from '../identity/resolve-subjects.js';
import type { Services } from '../services.js';
import type { Actor } from '../store/store.js';
import type { SubjectRef } from './requests.js';

/**
 * @example await findSubjectByUserId(services, 'p_acme', 'user-42', { channel: 'staff', auth: 'admin_key:abc' })
 */
export async function findSubjectByUserId(services: Services, projectId: string, userId: string, actor: Actor): Promise<SubjectRef | undefined> {
  const clientHash = identifiedHash(projectId, userId);
  const { pseudonym, record } = (await resolveSubjects(services, projectId, [clientHash])).get(clientHash)!;
  return record === undefined ? undefined : { projectId, pseudonym, actor };
}

/**
 * Every subject row the user id has under any key: one, or two where a decision after a key
 * rotation made a second row before every path resolved the same way. Erasure takes them all,
 * every other right asked by user id reaches each (`forEveryRow`), and access answers with the
 * data of all of them (`accessEvery`).
 *
 * @example await findEverySubjectByUserId(services, 'p_acme', 'user-42', actor) // [{ projectId, pseudonym, actor }]
 */
export async function findEverySubjectByUserId(services: Services, projectId: string, userId: string, actor: Actor): Promise<SubjectRef[]> {
  const clientHash = identifiedHash(projectId, userId);
  const { held } = (await resolveSubjects(services, projectId, [clientHash])).get(clientHash)!;
  return held.map((pseudonym) => ({ projectId, pseudonym, actor }));
}

/**
 * A right asked by user id, applied to each of the person's rows in turn (they asked once, for
 * all of their data); answers as for the first, the newest key's.
 *
 * @example await forEveryRow(refs, (ref) => restrict(services, ref, true)) // { restricted: true }
 */
export async function forEveryRow<R>(refs: readonly SubjectRef[], apply: (ref: SubjectRef) => Promise<R>): Promise<R> {
  const [newest, ...older] = refs;
  if (!newest) throw new Error('forEveryRow needs at least one row');
  const answer = await apply(newest);
  for (const ref of older) await apply(ref);
  return answer;
}
