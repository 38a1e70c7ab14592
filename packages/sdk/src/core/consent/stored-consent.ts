/**
 * What the device keeps of a consent decision, as one record (`heed:consent`): the grant in
 * force, a remembered refusal and the subject with its token. Only the hash of a user id is
 * ever in it.
 */
import type { DecisionRecord } from '../decision.js';
import type { SubjectRecord } from '../identity.js';

/** What `heed:consent` holds. */
export interface StoredConsent {
  /** The grant in force; absent when undecided, denied or withdrawn. */
  readonly decision?: DecisionRecord;
  /** A refusal, remembered so the banner does not come back (the policy version refused). */
  readonly denied?: string;
  readonly subject?: SubjectRecord;
  /** The subject before the current one: its queued events still go out with its proof. */
  readonly prev?: SubjectRecord;
}
