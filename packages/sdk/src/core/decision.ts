/**
 * The user's grant as the device keeps it, and what it allows. `trackingAllowed` is the
 * decision table of `@heed/policy` narrowed to one question (may usage tracking run at all
 * under a current, unrestricted grant?), written out so the browser bundle stays small; a
 * property test checks it against `allowedTrackingPurposes` for random policies and grants.
 */
import type { ConsentRequest, PolicyDocument } from '@heed/policy';

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

type Purposes = PolicyDocument['purposes'];

/**
 * Whether usage tracking may run: at least one usage-tracking purpose is allowed. Without
 * the policy yet (startup), a stored grant counts until it is checked.
 *
 * @example trackingAllowed({ version, granted: ['statistics'], objected: [], gpc: false }, DEFAULT_POLICY.purposes) // true
 */
export function trackingAllowed(decision: DecisionRecord | undefined, purposes: Purposes | undefined): boolean {
  if (!decision || decision.restricted) return false;
  const answers = purposeAnswers(decision, purposes ?? [], false);
  return !purposes || purposes.some((purpose) => purpose.usageTracking && answers[purpose.id] !== false);
}

/**
 * The answer for each purpose: consent-based ones as granted; legitimate-interest ones unless
 * objected to, and only when something consent-based is granted (the policy's rule: usage
 * tracking needs a grant first); contract and legal-obligation ones always. `withdraw`
 * answers false to all (Art. 7(3)).
 *
 * @example purposeAnswers(decision, DEFAULT_POLICY.purposes, false) // { statistics: true, update_timing: true, marketing: false }
 */
export function purposeAnswers(decision: DecisionRecord, purposes: Purposes, withdraw: boolean): Record<string, boolean> {
  const grantsSomething = decision.granted.some((id) => purposes.some((purpose) => purpose.id === id && purpose.basis === 'consent'));
  const answers: Record<string, boolean> = {};
  for (const { id, basis } of purposes) {
    answers[id] =
      !withdraw &&
      (basis === 'consent'
        ? decision.granted.includes(id)
        : basis !== 'legitimate_interest' || (grantsSomething && !decision.objected.includes(id)));
  }
  return answers;
}

/**
 * A new grant: the consent-based purposes asked for; legitimate-interest purposes objected
 * to when the device sends a privacy signal (GPC, DNT) or they were objected to before.
 *
 * @example makeDecision(DEFAULT_POLICY, ['statistics'], false, []).granted // ['statistics']
 */
export function makeDecision(policy: PolicyDocument, asked: readonly string[], signal: boolean, objected: readonly string[]): DecisionRecord {
  const ids = (basis: string) => policy.purposes.filter((purpose) => purpose.basis === basis).map((purpose) => purpose.id);
  return {
    version: policy.version,
    granted: ids('consent').filter((id) => asked.includes(id)),
    objected: ids('legitimate_interest').filter((id) => signal || objected.includes(id)),
    gpc: signal,
  };
}

/**
 * The `POST /v1/consent` body.
 *
 * @example consentRequest('wk', subject, decision, DEFAULT_POLICY.purposes, false, Date.now()).purposes // { statistics: true, ... }
 */
export function consentRequest(
  writeKey: string,
  subject: string,
  decision: DecisionRecord,
  purposes: Purposes,
  withdraw: boolean,
  ts: number,
): ConsentRequest {
  const answers = purposeAnswers(decision, purposes, withdraw);
  for (const { id, basis } of purposes) if (basis !== 'consent' && basis !== 'legitimate_interest') delete answers[id];
  return { writeKey, subject, policyVersion: decision.version, purposes: answers, gpc: decision.gpc, objections: withdraw ? [] : [...decision.objected], ts };
}
