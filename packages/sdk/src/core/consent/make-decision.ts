/**
 * A new grant from what the user chose, under the policy in force. Only a grant needs it, so
 * it loads with the grant (`decisions.ts`), not with every page view.
 */
import type { PolicyDocument } from '@heed/policy';
import type { DecisionRecord } from '../decision.js';

/**
 * The consent-based purposes asked for; legitimate-interest purposes objected to when the
 * device sends a privacy signal (GPC, DNT) or they were objected to before.
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
