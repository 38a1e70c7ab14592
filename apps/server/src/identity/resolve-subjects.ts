/**
 * Which subject a client hash names in a project. A pseudonym is the client hash under a key of
 * the pseudonymisation ring, which holds the current key first and older ones after it
 * (docs/operations.md, "Keys"): a client hash names the subject row it already has under any
 * of them, the newest key first, and only one with no row under any key gets the current key's
 * pseudonym (a subject yet to be made). Written once for every path that names a subject by
 * its client hash: a consent decision, a batch, and staff and backend requests by user id.
 * With the current key alone, a returning user's decision after a new key was made current
 * made a second subject: an erasure by user id then erased that one and left the first one's
 * events, and an erased user's suppression record no longer stopped them.
 */
import type { Pseudonymizer } from '../crypto/pseudonymizer.js';
import type { SubjectRecord } from '../store/rows/subject-rows.js';
import type { Store } from '../store/store.js';

export interface ResolvedSubject {
  /** The pseudonym of the subject row the client hash has, else the current key's. */
  readonly pseudonym: string;
  /** That row, when there is one. */
  readonly record?: SubjectRecord;
  /**
   * Every pseudonym of the client hash that has a row, newest key first: one, or two for a
   * user whose decision after a rotation made a second row before this rule (an erasure by
   * user id takes them all).
   */
  readonly held: readonly string[];
}

/**
 * One read for all of them (a batch usually names one subject).
 *
 * @example (await resolveSubjects(services, 'p_acme', [clientHash])).get(clientHash) // { pseudonym: '...', record: { state: ... } }
 */
export async function resolveSubjects(
  services: { readonly pseudonymizer: Pseudonymizer; readonly store: Pick<Store, 'loadSubjects'> },
  projectId: string,
  clientHashes: Iterable<string>,
): Promise<Map<string, ResolvedSubject>> {
  const candidates = new Map<string, string[]>();
  for (const hash of clientHashes) {
    if (!candidates.has(hash)) candidates.set(hash, services.pseudonymizer.candidates(projectId, hash).map((candidate) => candidate.pseudonym));
  }
  const found = await services.store.loadSubjects(projectId, [...candidates.values()].flat());
  const resolved = new Map<string, ResolvedSubject>();
  for (const [hash, names] of candidates) {
    const held = names.filter((name) => found.has(name));
    const pseudonym = held[0] ?? names[0]!;
    const record = found.get(pseudonym);
    resolved.set(hash, record ? { pseudonym, record, held } : { pseudonym, held });
  }
  return resolved;
}
