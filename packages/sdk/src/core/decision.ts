/**
 * The user's grant as the device keeps it, and what it allows. `trackingAllowed` is the
 * decision table of `@heed/policy` narrowed to one question (may usage tracking run at all
 * under a current, unrestricted grant?), written out so the browser bundle stays small; a
 * property test checks it against `allowedTrackingPurposes` for random policies and grants.
 */
import type { PolicyDocument } from '@heed/policy';

export interface DecisionRecord {
  /** Policy version the grant was made under. */
  readonly version: string;
  /** Consent-based purposes granted. */
  readonly granted: readonly string[];
  /** Legitimate-interest purposes objected to (GPC/DNT, or `rights.object`). */
  readonly objected: readonly string[];
  /** Art. 18 restriction asked from this device: nothing new is collected. */
  readonly restricted?: boolean;
  /** A privacy signal (GPC, DNT) was on when the grant was made. */
  readonly gpc: boolean;
}

export type Purposes = PolicyDocument['purposes'];

/** Whether the grant gives `purposes` anything consent-based: usage tracking needs that first (DESIGN.md). */
const grantsSomething = (decision: DecisionRecord, purposes: Purposes) =>
  decision.granted.some((id) => purposes.some((purpose) => purpose.id === id && purpose.basis === 'consent'));

/**
 * The answer for one purpose: consent-based ones as granted; legitimate-interest ones unless
 * objected to, and only when something consent-based is granted (the policy's rule: usage
 * tracking needs a grant first); contract and legal-obligation ones always.
 *
 * @example purposeAllowed(decision, DEFAULT_POLICY.purposes, DEFAULT_POLICY.purposes[0]) // true when 'statistics' is granted
 */
export function purposeAllowed(decision: DecisionRecord, purposes: Purposes, { id, basis }: Purposes[number]): boolean {
  return basis === 'consent'
    ? decision.granted.includes(id)
    : basis !== 'legitimate_interest' || (grantsSomething(decision, purposes) && !decision.objected.includes(id));
}

/**
 * Whether usage tracking may run: at least one usage-tracking purpose is allowed. Without
 * the policy yet (startup), a stored grant counts until it is checked.
 *
 * @example trackingAllowed({ version, granted: ['statistics'], objected: [], gpc: false }, DEFAULT_POLICY.purposes) // true
 */
export const trackingAllowed = (decision: DecisionRecord | undefined, purposes: Purposes | undefined): boolean =>
  !!decision && !decision.restricted && (!purposes || purposes.some((purpose) => purpose.usageTracking && purposeAllowed(decision, purposes, purpose)));
