/**
 * The user's consent decision as the device keeps it, and what it allows. `trackingAllowed`
 * is the decision table of `@heed/policy` narrowed to one question (may usage tracking run
 * at all for a current, unrestricted grant?), written out so the browser bundle stays small;
 * a property test checks it against `allowedTrackingPurposes` for random policies.
 */
import type { ConsentRequest, PolicyDocument } from '@heed/policy';

export interface DecisionRecord {
  readonly status: 'granted' | 'denied';
  /** Policy version the decision was made under. */
  readonly version: string;
  /** Consent-based purposes granted. */
  readonly granted: readonly string[];
  /** Legitimate-interest purposes objected to (GPC/DNT, or `rights.object`). */
  readonly objected: readonly string[];
  /** Art. 18 restriction asked from this device: nothing new is collected. */
  readonly restricted: boolean;
  readonly gpc: boolean;
  readonly ts: number;
}

/**
 * Whether usage tracking may run: a grant under which at least one usage-tracking purpose
 * is allowed. Without the policy yet (startup), a stored grant counts until it is checked.
 *
 * @example trackingAllowed(decision, DEFAULT_POLICY) // true when 'statistics' is granted
 */
export function trackingAllowed(decision: DecisionRecord | undefined, policy: PolicyDocument | undefined): boolean {
  if (decision?.status !== 'granted' || decision.restricted) return false;
  if (!policy) return true;
  const consented = (id: string) => policy.purposes.some((purpose) => purpose.id === id && purpose.basis === 'consent');
  const grantsSomething = decision.granted.some(consented);
  return policy.purposes.some(
    (purpose) =>
      purpose.usageTracking &&
      (purpose.basis === 'contract' ||
        purpose.basis === 'legal_obligation' ||
        (purpose.basis === 'consent' ? decision.granted.includes(purpose.id) : grantsSomething && !decision.objected.includes(purpose.id))),
  );
}

/**
 * A new decision: consent-based purposes as granted, legitimate-interest purposes objected
 * to when the device sends a privacy signal (GPC, DNT) or they were objected before.
 *
 * @example makeDecision(DEFAULT_POLICY, ['statistics'], false, [], Date.now()).granted // ['statistics']
 */
export function makeDecision(
  policy: PolicyDocument,
  purposes: readonly string[],
  signal: boolean,
  objected: readonly string[],
  ts: number,
): DecisionRecord {
  const ids = (basis: string) => policy.purposes.filter((purpose) => purpose.basis === basis).map((purpose) => purpose.id);
  return {
    status: 'granted',
    version: policy.version,
    granted: ids('consent').filter((id) => purposes.includes(id)),
    objected: ids('legitimate_interest').filter((id) => signal || objected.includes(id)),
    restricted: false,
    gpc: signal,
    ts,
  };
}

/**
 * The `POST /v1/consent` body: every consent and legitimate-interest purpose with its
 * answer (`withdraw` answers false to all, Art. 7(3)).
 *
 * @example consentRequest('wk', subject, decision, policy, false).purposes // { statistics: true, update_timing: true, marketing: false }
 */
export function consentRequest(
  writeKey: string,
  subject: string,
  decision: DecisionRecord,
  policy: Pick<PolicyDocument, 'purposes'> | undefined,
  withdraw: boolean,
  ts: number,
): ConsentRequest {
  const purposes: Record<string, boolean> = {};
  for (const purpose of policy?.purposes ?? []) {
    if (purpose.basis === 'consent') purposes[purpose.id] = !withdraw && decision.granted.includes(purpose.id);
    if (purpose.basis === 'legitimate_interest') purposes[purpose.id] = !withdraw && !decision.objected.includes(purpose.id);
  }
  return {
    writeKey,
    subject,
    policyVersion: decision.version,
    purposes,
    gpc: decision.gpc,
    objections: withdraw ? [] : [...decision.objected],
    ts,
  };
}
