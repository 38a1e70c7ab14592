/**
 * A consent decision from the SDK: pseudonymise, check it against the policy in force, apply
 * it to the subject and append it to the ledger in one transaction. The first decision of a
 * subject creates its token, returned once and stored only as a digest.
 */
import type { ConsentDecision, ConsentResponse } from '@heed/policy';
import { isConsentCurrent } from '@heed/policy';
import { nanoid } from 'nanoid';
import { sha256Hex } from '../crypto/digest.js';
import { HttpProblem } from '../http/problem.js';
import type { Services } from '../services.js';

/**
 * @example await recordConsent(services, projectId, decision) // { subjectToken: '...', policyVersion: '2026-11-01' }
 */
export async function recordConsent(services: Services, projectId: string, decision: ConsentDecision): Promise<ConsentResponse> {
  const pseudonym = services.pseudonymizer.pseudonym(projectId, decision.subject);
  return applyConsentDecision(services, { projectId, pseudonym }, decision);
}

/** The decision part of a consent request: what `/v1/me/consent` sends with a subject token. */
export type DecisionFields = Pick<ConsentDecision, 'policyVersion' | 'purposes' | 'gpc' | 'objections' | 'ts'>;

/**
 * Applies a decision to a known pseudonym: from the SDK (via the client hash) or from the
 * privacy page (via the subject token).
 */
export async function applyConsentDecision(
  services: Services,
  subject: { projectId: string; pseudonym: string },
  decision: DecisionFields,
): Promise<ConsentResponse> {
  const { policy, store, pseudonymizer, clock } = services;
  const { projectId, pseudonym } = subject;
  if (!isConsentCurrent(decision.policyVersion, policy)) {
    throw new HttpProblem('policy_version', {
      detail: `Consent was asked under policy ${decision.policyVersion}; the policy in force is ${policy.version}. Fetch /v1/policy and ask again.`,
    });
  }
  const byId = new Map(policy.purposes.map((purpose) => [purpose.id, purpose]));
  const unknown = Object.keys(decision.purposes).filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new HttpProblem('validation', {
      detail: 'The decision names purposes the policy does not have.',
      errors: unknown.map((id) => ({ field: `purposes.${id}`, message: 'unknown purpose' })),
    });
  }
  const misdirected = decision.objections.filter((id) => byId.get(id)?.basis !== 'legitimate_interest');
  if (misdirected.length > 0) {
    throw new HttpProblem('unprocessable', {
      detail: 'Objection (Art. 21) applies to legitimate-interest purposes; for consent-based purposes, withdraw consent instead.',
      errors: misdirected.map((id) => ({ field: 'objections', message: `"${id}" is not a legitimate-interest purpose` })),
    });
  }

  const granted = policy.purposes.filter((p) => p.basis === 'consent' && decision.purposes[p.id] === true).map((p) => p.id);
  const denied = policy.purposes.filter((p) => p.basis === 'consent' && decision.purposes[p.id] !== true).map((p) => p.id);
  // GPC and Do Not Track are a general objection to processing on legitimate interest.
  const legitimate = policy.purposes.filter((p) => p.basis === 'legitimate_interest').map((p) => p.id);
  const objected = decision.gpc ? legitimate : legitimate.filter((id) => decision.objections.includes(id));

  const token = nanoid(32);
  const now = clock.now();
  const result = await store.recordConsent({
    projectId,
    pseudonym,
    keyId: pseudonymizer.currentKeyId,
    at: now,
    policyVersion: decision.policyVersion,
    granted,
    objected,
    newTokenHash: sha256Hex(token),
    ledger: {
      projectId,
      pseudonym,
      action: 'decision',
      policyVersion: decision.policyVersion,
      detail: { granted, denied, objected, gpc: decision.gpc, clientTs: decision.ts },
      at: now,
    },
  });
  if (result.erased) {
    throw new HttpProblem('subject_erased', {
      detail: 'This subject was erased (Art. 17); its suppression record keeps it from being tracked again.',
    });
  }
  return result.created ? { subjectToken: token, policyVersion: policy.version } : { policyVersion: policy.version };
}
