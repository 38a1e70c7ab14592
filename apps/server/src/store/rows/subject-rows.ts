/**
 * Subjects as the store holds them: flags, holds, tokens, consent decisions and flag changes
 * (each with its ledger entry), and everything held about one subject.
 */
import type { SubjectState } from '@heed/policy';
import type { ActivityRow, EventRow, SessionRow } from './event-rows.js';
import type { ActorChannel, LedgerAppend, LedgerEntry } from './ledger-rows.js';
import type { RightsRequestRow } from './request-rows.js';

/** Grounds on which erasure may be refused and retention held (Art. 17(3)(b), (e); the policy's "contract"). */
export const HOLD_GROUNDS = ['legal_obligation', 'legal_claims', 'contract'] as const;

export type HoldGround = (typeof HOLD_GROUNDS)[number];

/** A legal hold on a subject: erasure refused and retention paused on `ground` until `until` (null: until lifted). */
export interface LegalHold {
  readonly ground: HoldGround;
  readonly reason: string;
  readonly until: number | null;
}

export interface SubjectRecord {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly keyId: string;
  readonly createdAt: number;
  readonly tz: string | null;
  readonly device: string | null;
  readonly consentAt: number | null;
  readonly lastSeenAt: number | null;
  readonly state: SubjectState;
  /** The fields the subject corrected (Art. 16): `tz` and `device` above already show the corrected values. */
  readonly corrected: readonly ('tz' | 'device')[];
  readonly legalHold: LegalHold | null;
}

/**
 * What of a subject's state restricts processing, as `heed restore` reads it from the database
 * a backup replaces, to apply again (`rights/carry-over.ts`).
 */
export interface RestrictiveState extends SubjectKey {
  readonly erased: boolean;
  readonly restricted: boolean;
  /** Consent withdrawn (Art. 7(3)). */
  readonly withdrawn: boolean;
  readonly objected: readonly string[];
}

export interface SubjectKey {
  readonly projectId: string;
  readonly pseudonym: string;
}

/** A subject token to store: only its digest, with an id the ledger can name. */
export interface NewSubjectToken {
  readonly id: string;
  readonly hash: string;
  /** Who it was issued to: the channel of the verified caller. */
  readonly channel: ActorChannel;
}

export interface SubjectTokenRow {
  readonly id: string;
  readonly createdAt: number;
  readonly channel: string;
}

/** A consent decision applied to a subject, with its ledger entry, atomically. */
export interface ConsentWrite {
  readonly projectId: string;
  readonly pseudonym: string;
  /** The pseudonymisation key the pseudonym was made with (stored with a new subject). */
  readonly keyId: string;
  readonly at: number;
  readonly policyVersion: string;
  readonly granted: readonly string[];
  /**
   * Objections this decision adds (a privacy signal, a banner's switch). They join the ones in
   * force; a decision never lifts one (only the subject's explicit lifting does).
   */
  readonly objected: readonly string[];
  readonly ledger: LedgerAppend;
  /**
   * A token for the verified caller, stored with the decision (`onlyIfNew`: only when the
   * decision creates the subject); absent for an unverified caller.
   */
  readonly token?: NewSubjectToken & { readonly onlyIfNew: boolean };
  /** A daily counter this decision adds one to (e.g. `identity_unverified:missing` in report mode). */
  readonly counter?: string;
}

export interface ConsentWriteResult {
  /** True when the subject was created by this decision. */
  readonly created: boolean;
  /** True when the subject was erased before: nothing was changed. */
  readonly erased: boolean;
  /** The objections in force after the decision. */
  readonly objected: readonly string[];
  /** Whether the decision's token was stored (its id is in the ledger entry's detail). */
  readonly tokenIssued: boolean;
}

/** A change to a subject's flags, with the ledger entry that proves it, applied atomically. */
export interface FlagChange {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly restricted?: boolean;
  readonly objected?: readonly string[];
  readonly withdrawn?: boolean;
  readonly ledger: LedgerAppend;
}

/** Everything held about one subject (Art. 15 access, Art. 20 portability). */
export interface SubjectData {
  readonly subject: SubjectRecord;
  readonly ledger: LedgerEntry[];
  readonly events: EventRow[];
  readonly sessions: SessionRow[];
  readonly activity: ActivityRow[];
  readonly requests: RightsRequestRow[];
  /** The subject's live tokens (ids and when, never the tokens). */
  readonly tokens: SubjectTokenRow[];
}
