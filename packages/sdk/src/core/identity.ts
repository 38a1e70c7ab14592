/**
 * Subjects: the pseudonymous identifier every event carries. The platform's user id never
 * leaves the device and is never stored; only base64url(SHA-256("heed:v1:" + projectId +
 * ":" + id)) is (DESIGN.md, Pseudonymisation). Anonymous ids are random, created at grant
 * time, and expire (13 months by default) so a device is not followed forever.
 */
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
}

/**
 * @example await subjectHash(hasher, 'acme', 'user-42') // 43 characters of base64url
 */
export function subjectHash(hasher: Hasher, projectId: string, id: string): Promise<string> {
  return hasher.sha256(`heed:v1:${projectId}:${id}`);
}

/**
 * Whether a stored subject may still be used: identified subjects do not expire here (the
 * platform decides who is logged in), anonymous ones after `lifetimeMs`.
 *
 * @example subjectUsable({ hash, anonymous: true, created: 0, acked: true }, 1_000, 500) // false
 */
export function subjectUsable(subject: SubjectRecord | undefined, now: number, lifetimeMs: number): subject is SubjectRecord {
  return !!subject && (!subject.anonymous || now - subject.created < lifetimeMs);
}
