import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../document/default-policy.js';
import type { PolicyDocument } from '../document/schema.js';
import { allowedTrackingPurposes, consentBaseline, decide, isConsentCurrent } from './decide.js';
import type { SubjectState } from './subject-state.js';
import { UNDECIDED } from './subject-state.js';

const purposeIds = DEFAULT_POLICY.purposes.map((purpose) => purpose.id);
const consentPurposes = DEFAULT_POLICY.purposes.filter((p) => p.basis === 'consent').map((p) => p.id);
const legitimatePurposes = DEFAULT_POLICY.purposes.filter((p) => p.basis === 'legitimate_interest').map((p) => p.id);

/** The default policy with an older history, and whether the current version is substantial. */
const policyArb: fc.Arbitrary<PolicyDocument> = fc
  .record({ substantial: fc.boolean(), olderSubstantial: fc.boolean() })
  .map(({ substantial, olderSubstantial }) => ({
    ...DEFAULT_POLICY,
    version: '2026-11-01',
    substantial,
    history: [
      { version: '2025-01-01', substantial: false },
      { version: '2026-03-01', substantial: olderSubstantial },
    ],
  }));

const versionArb = fc.constantFrom('2025-01-01', '2026-03-01', '2026-11-01', '2024-06-01', '2027-01-01');

const stateArb: fc.Arbitrary<SubjectState> = fc.record({
  consent: fc.option(
    fc.record({
      policyVersion: versionArb,
      granted: fc.subarray([...purposeIds, 'unknown']),
      withdrawn: fc.boolean(),
    }),
    { nil: null },
  ),
  objected: fc.subarray(purposeIds),
  restricted: fc.boolean(),
  erased: fc.boolean(),
});

const purposeArb = fc.constantFrom(...purposeIds);

describe('decide: the decision table', () => {
  it('allows nothing before any decision', () => {
    fc.assert(
      fc.property(policyArb, purposeArb, fc.subarray(purposeIds), (policy, purpose, objected) => {
        expect(decide({ ...UNDECIDED, objected }, purpose, policy)).toEqual({ allow: false, reason: 'no_decision' });
      }),
    );
  });

  it('allows nothing under restriction or after erasure, whatever else holds', () => {
    fc.assert(
      fc.property(policyArb, stateArb, purposeArb, (policy, state, purpose) => {
        if (state.erased) expect(decide(state, purpose, policy)).toEqual({ allow: false, reason: 'erased' });
        else if (state.restricted) expect(decide(state, purpose, policy)).toEqual({ allow: false, reason: 'restricted' });
      }),
    );
  });

  it('allows nothing when a substantial change superseded the consented version', () => {
    fc.assert(
      fc.property(policyArb, stateArb, purposeArb, (policy, state, purpose) => {
        fc.pre(state.consent !== null && !state.erased && !state.restricted);
        const current = isConsentCurrent(state.consent!.policyVersion, policy);
        const decision = decide(state, purpose, policy);
        if (!current) expect(decision).toEqual({ allow: false, reason: 'policy_superseded' });
      }),
    );
  });

  it('judges supersession by the newest substantial version', () => {
    const policy = { ...DEFAULT_POLICY, substantial: false, history: [{ version: '2026-01-01', substantial: true }] };
    expect(consentBaseline(policy)).toBe('2026-01-01');
    expect(isConsentCurrent('2026-01-01', policy)).toBe(true);
    expect(isConsentCurrent('2026-11-01', policy)).toBe(true);
    expect(isConsentCurrent('2025-12-31', policy)).toBe(false);
    expect(isConsentCurrent('2026-11-01', { ...policy, substantial: true })).toBe(true);
    expect(isConsentCurrent('2026-01-01', { ...policy, substantial: true })).toBe(false);
  });

  it('drops for objection only legitimate-interest purposes', () => {
    fc.assert(
      fc.property(policyArb, stateArb, purposeArb, (policy, state, purpose) => {
        const decision = decide(state, purpose, policy);
        if (!decision.allow && decision.reason === 'objected') {
          expect(legitimatePurposes).toContain(purpose);
          expect(state.objected).toContain(purpose);
        }
        // Objecting to a consent-based purpose changes nothing: withdrawal is the way out.
        if (consentPurposes.includes(purpose)) {
          expect(decide({ ...state, objected: [] }, purpose, policy)).toEqual(decision);
        }
      }),
    );
  });

  it('allows a consent-based purpose only with an explicit, current, unwithdrawn grant', () => {
    fc.assert(
      fc.property(policyArb, stateArb, fc.constantFrom(...consentPurposes), (policy, state, purpose) => {
        const allowed = decide(state, purpose, policy).allow;
        const expected =
          !state.erased &&
          !state.restricted &&
          state.consent !== null &&
          isConsentCurrent(state.consent.policyVersion, policy) &&
          !state.consent.withdrawn &&
          state.consent.granted.includes(purpose);
        expect(allowed).toBe(expected);
      }),
    );
  });

  it('allows a legitimate-interest purpose when some consent purpose is granted and it is not objected to', () => {
    fc.assert(
      fc.property(policyArb, stateArb, fc.constantFrom(...legitimatePurposes), (policy, state, purpose) => {
        const allowed = decide(state, purpose, policy).allow;
        const gateOpen =
          !state.erased &&
          !state.restricted &&
          state.consent !== null &&
          isConsentCurrent(state.consent.policyVersion, policy) &&
          !state.consent.withdrawn &&
          state.consent.granted.some((id) => consentPurposes.includes(id));
        expect(allowed).toBe(gateOpen && !state.objected.includes(purpose));
      }),
    );
  });

  it('closes the gate after withdrawal for every purpose', () => {
    fc.assert(
      fc.property(policyArb, stateArb, purposeArb, (policy, state, purpose) => {
        fc.pre(state.consent !== null);
        const withdrawn = { ...state, erased: false, restricted: false, consent: { ...state.consent!, policyVersion: policy.version, withdrawn: true } };
        expect(decide(withdrawn, purpose, policy)).toEqual({ allow: false, reason: 'withdrawn' });
      }),
    );
  });

  it('answers every purpose and state without throwing (total)', () => {
    fc.assert(
      fc.property(policyArb, stateArb, fc.string(), (policy, state, purpose) => {
        const decision = decide(state, purpose, policy);
        expect(typeof decision.allow).toBe('boolean');
        if (!purposeIds.includes(purpose)) expect(decision).toEqual({ allow: false, reason: 'unknown_purpose' });
      }),
    );
  });
});

describe('allowedTrackingPurposes', () => {
  it('never lets usage tracking feed marketing, even when granted', () => {
    const state: SubjectState = {
      consent: { policyVersion: DEFAULT_POLICY.version, granted: ['statistics', 'marketing'], withdrawn: false },
      objected: ['update_timing'],
      restricted: false,
      erased: false,
    };
    expect(allowedTrackingPurposes(state, DEFAULT_POLICY)).toEqual({
      allowed: ['statistics'],
      dropped: [{ purpose: 'update_timing', reason: 'objected' }],
    });
  });
});
