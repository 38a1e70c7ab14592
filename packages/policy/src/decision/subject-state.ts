/**
 * What the decision table needs to know about a subject. The server builds it from its own
 * ledger and flags (never from what the client says); the SDK from its local consent record.
 */

/** The subject's latest consent decision, as recorded in the ledger. */
export interface ConsentRecord {
  /** The policy version the decision was made under. */
  readonly policyVersion: string;
  /** Consent-based purposes granted in that decision. */
  readonly granted: readonly string[];
  /** True once the subject withdrew all consent (Art. 7(3)); later grants make a new record. */
  readonly withdrawn: boolean;
}

export interface SubjectState {
  /** `null` until the subject has decided anything. */
  readonly consent: ConsentRecord | null;
  /** Legitimate-interest purposes objected to (Art. 21). */
  readonly objected: readonly string[];
  /** Art. 18 restriction in force. */
  readonly restricted: boolean;
  /** Art. 17 erasure done: a suppression record keeps everything dropped. */
  readonly erased: boolean;
}

/** A subject nobody has heard from: the state before any decision. */
export const UNDECIDED: SubjectState = Object.freeze({
  consent: null,
  objected: Object.freeze([]) as readonly string[],
  restricted: false,
  erased: false,
});
