/**
 * The decision table of DESIGN.md as one total function: may this subject's event be processed
 * for this purpose under this policy? The SDK asks it before recording; the server asks it
 * again for every event, from its own state.
 */
import type { PolicyDocument } from '../document/schema.js';
import type { SubjectState } from './subject-state.js';

/** Why an event is not processed for a purpose; the server counts suppressions by these. */
export const DROP_REASONS = [
  'no_decision',
  'policy_superseded',
  'withdrawn',
  'not_granted',
  'objected',
  'restricted',
  'erased',
  'unknown_purpose',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: DropReason };

// Pure annotations let bundlers drop these tables when only `isConsentCurrent` is imported (the browser SDK).
const ALLOW: Decision = /* @__PURE__ */ Object.freeze({ allow: true });
const DROPS = /* @__PURE__ */ Object.fromEntries(/* @__PURE__ */ DROP_REASONS.map((reason) => [reason, Object.freeze({ allow: false, reason })])) as {
  readonly [R in DropReason]: Decision;
};

/**
 * The version from which consent still counts: the newest version whose change was
 * substantial (clause 7: users may refuse a substantial change, so it needs consent again).
 */
export function consentBaseline({ version, substantial, history }: Pick<PolicyDocument, 'version' | 'substantial' | 'history'>): string {
  if (substantial) return version;
  // The newest substantial entry; without one, consent counts from the oldest version known.
  return ([...history].reverse().find((entry) => entry.substantial) ?? history[0])?.version ?? version;
}

/**
 * Whether consent given under `version` survives to the policy in force. Versions are
 * ordered dates, so a later substantial change supersedes everything before it; a version the
 * policy has never had (a typo, or a client ahead of the server) does not count as consent.
 * Kept small: the browser SDK bundles it.
 */
export function isConsentCurrent(version: string, policy: Pick<PolicyDocument, 'version' | 'substantial' | 'history'>): boolean {
  return [policy, ...policy.history].some((entry) => entry.version === version) && version >= consentBaseline(policy);
}

/**
 * Decides one purpose for one subject. Precedence follows the table: erasure, then
 * restriction, then the consent gate (no decision, superseded, withdrawn, nothing granted),
 * then the purpose's own basis.
 *
 * Usage tracking needs at least one granted purpose before anything is recorded (DESIGN.md),
 * so a decision that grants nothing keeps legitimate-interest purposes closed as well.
 *
 * @example
 * decide({ consent: { policyVersion: '2026-11-01', granted: ['statistics'], withdrawn: false },
 *          objected: [], restricted: false, erased: false }, 'statistics', DEFAULT_POLICY)
 * // { allow: true }
 */
export function decide(state: SubjectState, purposeId: string, policy: PolicyDocument): Decision {
  const purpose = policy.purposes.find((candidate) => candidate.id === purposeId);
  if (!purpose) return DROPS.unknown_purpose;
  if (state.erased) return DROPS.erased;
  if (state.restricted) return DROPS.restricted;

  // Contract and legal-obligation processing does not rest on consent and cannot be objected
  // to (Art. 21 covers Art. 6(1)(e) and (f) only); erasure and restriction still apply.
  if (purpose.basis === 'contract' || purpose.basis === 'legal_obligation') return ALLOW;

  const consent = state.consent;
  if (consent === null) return DROPS.no_decision;
  if (!isConsentCurrent(consent.policyVersion, policy)) return DROPS.policy_superseded;
  if (consent.withdrawn) return DROPS.withdrawn;

  const grantsSomething = consent.granted.some((id) =>
    policy.purposes.some((candidate) => candidate.id === id && candidate.basis === 'consent'),
  );
  if (purpose.basis === 'consent') return consent.granted.includes(purpose.id) ? ALLOW : DROPS.not_granted;
  if (!grantsSomething) return DROPS.not_granted;
  return state.objected.includes(purpose.id) ? DROPS.objected : ALLOW;
}

/**
 * The usage-tracking purposes an event of this subject may serve, or the reasons it serves
 * none. The server aggregates an event under exactly these purposes.
 *
 * @example allowedTrackingPurposes(state, DEFAULT_POLICY) // { allowed: ['statistics', 'update_timing'], dropped: [] }
 */
export function allowedTrackingPurposes(
  state: SubjectState,
  policy: PolicyDocument,
): { allowed: string[]; dropped: { purpose: string; reason: DropReason }[] } {
  const allowed: string[] = [];
  const dropped: { purpose: string; reason: DropReason }[] = [];
  for (const purpose of policy.purposes) {
    if (!purpose.usageTracking) continue;
    const decision = decide(state, purpose.id, policy);
    if (decision.allow) allowed.push(purpose.id);
    else dropped.push({ purpose: purpose.id, reason: decision.reason });
  }
  return { allowed, dropped };
}
