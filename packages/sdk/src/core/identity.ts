/**
 * Subjects: the pseudonymous identifier every event carries. The platform's user id never
 * leaves the device and is never stored; only its hash is (`@heed/policy`,
 * identity/subject-hash.ts). Anonymous ids are random, created at grant time, and expire (13
 * months by default) so a device is not followed forever.
 *
 * Each subject keeps what proves it to the server (issue "Authenticated subjects"): an
 * anonymous subject its random id (the server derives the hash itself, so nobody can pass an
 * identified user's hash off as anonymous), an identified one the assertion the platform's
 * backend signed for its logged-in user.
 */
import { anonymousPreimage, identifiedPreimage, type SubjectProof } from '@heed/policy';
import type { Hasher } from './platform.js';

export interface SubjectRecord {
  /** The client hash sent as `subject`. */
  readonly hash: string;
  /** True for a random anonymous id, false after `identify`. */
  readonly anonymous: boolean;
  readonly created: number;
  /** The server recorded this subject's current decision. */
  readonly acked: boolean;
  /**
   * Bearer token for the rights routes. The server returns it on the subject's first decision
   * only, so it is kept across withdrawal and refusal; it goes with erasure or logout.
   */
  readonly token?: string;
  /** What proves the subject: `{ anonymousId }`, or `{ identity }` (the assertion the platform's backend signed). */
  readonly proof?: SubjectProof;
}

/**
 * @example await subjectHash(hasher, 'acme', 'user-42', false) // 43 characters of base64url
 */
export function subjectHash(hasher: Hasher, projectId: string, id: string, anonymous: boolean): Promise<string> {
  return hasher.sha256((anonymous ? anonymousPreimage : identifiedPreimage)(projectId, id));
}

/**
 * Whether a stored subject may still be used: identified subjects do not expire here (the
 * platform decides who is logged in), anonymous ones after `lifetimeMs`, and an anonymous one
 * stored before anonymous ids were kept (no proof) is replaced: the server could not tell it
 * from a forged one.
 *
 * @example subjectUsable({ hash, anonymous: true, created: 0, acked: true, proof }, 1_000, 500) // false
 */
export function subjectUsable(subject: SubjectRecord | undefined, now: number, lifetimeMs: number): subject is SubjectRecord {
  return !!subject && (!subject.anonymous || (!!subject.proof && now - subject.created < lifetimeMs));
}
