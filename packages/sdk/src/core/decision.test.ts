/**
 * The SDK's compact reading of the decision table must agree with `@heed/policy` (which
 * the server uses): for random policies and grants, usage tracking runs exactly when
 * `allowedTrackingPurposes` allows at least one purpose, and the consent body answers
 * each purpose the way `decide` does.
 */
import { DEFAULT_POLICY, LEGAL_BASES, allowedTrackingPurposes, decide, type PolicyDocument } from '@heed/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDecision } from './consent/make-decision.js';
import { consentRequest } from './consent/post-decision.js';
import { purposeAllowed, trackingAllowed } from './decision.js';

const ids = ['statistics', 'update_timing', 'marketing', 'billing', 'audit'];
const policyArb: fc.Arbitrary<PolicyDocument> = fc
  .uniqueArray(
    fc.record({ id: fc.constantFrom(...ids), basis: fc.constantFrom(...LEGAL_BASES), usageTracking: fc.boolean() }),
    { minLength: 1, maxLength: 5, selector: (purpose) => purpose.id },
  )
  .map((purposes) => ({ ...DEFAULT_POLICY, purposes: purposes.map((purpose) => ({ ...DEFAULT_POLICY.purposes[0]!, ...purpose })) }));

describe('decision', () => {
  it('agrees with allowedTrackingPurposes and decide', () => {
    fc.assert(
      fc.property(policyArb, fc.subarray(ids), fc.boolean(), fc.subarray(ids), (policy, asked, signal, objected) => {
        const decision = makeDecision(policy, asked, signal, objected);
        const state = {
          consent: { policyVersion: decision.version, granted: decision.granted, withdrawn: false },
          objected: decision.objected,
          restricted: false,
          erased: false,
        };
        const expected = allowedTrackingPurposes(state, policy).allowed.length > 0;
        expect(trackingAllowed(decision, policy.purposes)).toBe(expected);
        expect(trackingAllowed({ ...decision, restricted: true }, policy.purposes)).toBe(false);
        const body = consentRequest(purposeAllowed, 'wk', 'x'.repeat(43), decision, policy.purposes, false, 1);
        if (decision.granted.length) {
          for (const [id, answer] of Object.entries(body.purposes)) expect(answer, id).toBe(decide(state, id, policy).allow);
        }
        const withdrawn = consentRequest(purposeAllowed, 'wk', 'x'.repeat(43), decision, policy.purposes, true, 1);
        expect(Object.values(withdrawn.purposes).every((answer) => answer === false)).toBe(true);
        expect(withdrawn.objections).toEqual([]);
      }),
    );
  });

  it('answers the default policy as the wire example shows', () => {
    const decision = makeDecision(DEFAULT_POLICY, ['statistics'], false, []);
    expect(consentRequest(purposeAllowed, 'wk', 's'.repeat(43), decision, DEFAULT_POLICY.purposes, false, 5)).toEqual({
      writeKey: 'wk',
      subject: 's'.repeat(43),
      policyVersion: '2026-11-01',
      purposes: { statistics: true, update_timing: true, marketing: false },
      gpc: false,
      objections: [],
      ts: 5,
    });
  });
});
