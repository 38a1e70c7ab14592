/**
 * The rights-request log (Art. 12) as the store holds it: each request's life and its grounds.
 */
export interface RightsRequestRow {
  readonly id: string;
  readonly projectId: string;
  readonly pseudonym: string;
  readonly kind: string;
  readonly via: 'subject' | 'admin';
  readonly receivedAt: number;
  readonly dueAt: number;
  readonly completedAt: number | null;
  readonly outcome: string | null;
  readonly state: RequestState;
  /** The one-month due date before any extension. */
  readonly originalDueAt: number;
  readonly extensionReason: string | null;
  readonly noticeAt: number | null;
  readonly refusalGround: RefusalGround | null;
}

/** A rights request's life (Art. 12): received -> extended -> completed | refused. */
export type RequestState = 'received' | 'extended' | 'completed' | 'refused';

/**
 * Grounds a request may be refused on: a legal obligation or legal claims (Art. 17(3)(b), (e)),
 * a contract (the policy, clause 6), a manifestly unfounded or excessive request (Art. 12(5)).
 */
export const REFUSAL_GROUNDS = ['legal_obligation', 'legal_claims', 'contract', 'manifestly_unfounded', 'excessive'] as const;

export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** A step of a request's life, applied only if it is in one of `from`. */
export interface RequestChange {
  readonly from: readonly RequestState[];
  readonly state: RequestState;
  readonly dueAt?: number;
  readonly extensionReason?: string;
  readonly noticeAt?: number;
  readonly refusalGround?: RefusalGround;
  readonly completedAt?: number;
  readonly outcome?: string;
}
