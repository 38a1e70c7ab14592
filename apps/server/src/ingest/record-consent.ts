/**
 * A consent decision: verify who is deciding (identity/), pseudonymise, check it against the
 * policy in force, apply it to the subject and append it to the ledger in one transaction. A
 * verified caller gets a subject token: every signed decision (the platform's backend vouched
 * for its logged-in user on this device), and an anonymous subject's first one (a replayed
 * anonymous id reaches no token). The ledger entry says who decided and how they were
 * authenticated.
 */
import { misdirectedObjections, type ConsentDecision, type ConsentResponse, type SubjectProof } from '@heed/policy';
import { isConsentCurrent } from '@heed/policy';
import { DomainError } from '../errors/domain-error.js';
import { newSubjectToken } from '../rights/subject-tokens.js';
import { resolveSubjects } from '../identity/resolve-subjects.js';
import type { Services } from '../services.js';
import type { Actor, NewSubjectToken } from '../store/store.js';

/**
 * @example await recordConsent(services, projectId, decision) // { subjectToken: '...', policyVersion: '2026-11-01' }
 */
export async function recordConsent(services: Services, projectId: string, decision: ConsentDecision): Promise<ConsentResponse> {
  const proof: SubjectProof | undefined =
    decision.identity !== undefined ? { identity: decision.identity } : decision.anonymousId !== undefined ? { anonymousId: decision.anonymousId } : undefined;
  const verdict = (await services.identity.check(projectId, new Map([[decision.subject, proof]]))).get(decision.subject)!;
  // The subject it already has under any key (identity/resolve-subjects.ts), else a new one.
  const { pseudonym } = (await resolveSubjects(services, projectId, [decision.subject])).get(decision.subject)!;
  const anonymous = proof !== undefined && 'anonymousId' in proof;
  return applyConsentDecision(services, {
    projectId,
    pseudonym,
    actor: verdict.actor,
    ...(verdict.verified ? { issue: { channel: 'sdk', onlyIfNew: anonymous } } : {}),
    ...(verdict.failure ? { counter: `identity_unverified:${verdict.failure}` } : {}),
  }, decision);
}

/** The decision part of a consent request: what `/v1/me/consent` sends with a subject token. */
export type DecisionFields = Pick<ConsentDecision, 'policyVersion' | 'purposes' | 'gpc' | 'objections' | 'ts'>;

/** Who decides for which subject. */
export interface Decider {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly actor: Actor;
  /** A token for this verified caller (`onlyIfNew`: only when the decision creates the subject). */
  readonly issue?: { readonly channel: NewSubjectToken['channel']; readonly onlyIfNew: boolean };
  /** A daily counter the decision adds one to (an unverified caller in report mode). */
  readonly counter?: string;
}

/**
 * Applies a decision to a known pseudonym: from the SDK (via the client hash) or from the
 * privacy page (via the subject token).
 */
export async function applyConsentDecision(services: Services, decider: Decider, decision: DecisionFields): Promise<ConsentResponse> {
  const { store, pseudonymizer, clock } = services;
  const { projectId, pseudonym } = decider;
  const resolved = await services.policies.forProject(projectId);
  const policy = resolved.document;
  if (!isConsentCurrent(decision.policyVersion, policy)) {
    throw new DomainError('policy_version', {
      detail: `Consent was asked under policy ${decision.policyVersion}; the policy in force is ${policy.version}. Fetch /v1/policy and ask again.`,
    });
  }
  const byId = new Map(policy.purposes.map((purpose) => [purpose.id, purpose]));
  const unknown = Object.keys(decision.purposes).filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new DomainError('validation', {
      detail: 'The decision names purposes the policy does not have.',
      errors: unknown.map((id) => ({ field: `purposes.${id}`, message: 'unknown purpose' })),
    });
  }
  const misdirected = misdirectedObjections(policy.purposes, decision.objections);
  if (misdirected.length > 0) {
    throw new DomainError('unprocessable', {
      detail: 'Objection (Art. 21) applies to legitimate-interest purposes; for consent-based purposes, withdraw consent instead.',
      errors: misdirected.map((id) => ({ field: 'objections', message: `"${id}" is not a legitimate-interest purpose` })),
    });
  }
  const allowed = services.limits.consentPerSubject.take(`${projectId}:${pseudonym}`);
  if (!allowed.ok) {
    services.metrics.limitReached('consent_per_subject');
    throw new DomainError('rate_limited', {
      detail: `Too many consent decisions for this subject; retry after ${allowed.retryAfterSeconds} s.`,
      retryAfterSeconds: allowed.retryAfterSeconds,
    });
  }

  const granted = policy.purposes.filter((p) => p.basis === 'consent' && decision.purposes[p.id] === true).map((p) => p.id);
  const denied = policy.purposes.filter((p) => p.basis === 'consent' && decision.purposes[p.id] !== true).map((p) => p.id);
  // GPC and Do Not Track are a general objection to processing on legitimate interest.
  const legitimate = policy.purposes.filter((p) => p.basis === 'legitimate_interest').map((p) => p.id);
  const objected = decision.gpc ? legitimate : legitimate.filter((id) => decision.objections.includes(id));

  const { issue } = decider;
  const issued = issue ? newSubjectToken(issue.channel) : undefined;
  const now = clock.now();
  const result = await store.recordConsent({
    projectId,
    pseudonym,
    keyId: pseudonymizer.currentKeyId,
    at: now,
    policyVersion: decision.policyVersion,
    granted,
    objected,
    ...(issued ? { token: { ...issued.stored, onlyIfNew: issue!.onlyIfNew } } : {}),
    ...(decider.counter === undefined ? {} : { counter: decider.counter }),
    ledger: {
      projectId,
      pseudonym,
      action: 'decision',
      policyVersion: decision.policyVersion,
      policyHash: resolved.hash,
      detail: { granted, denied, objected, gpc: decision.gpc, clientTs: decision.ts },
      at: now,
      actor: decider.actor,
    },
  });
  if (result.erased) {
    throw new DomainError('subject_erased', {
      detail: 'This subject was erased (Art. 17); its suppression record keeps it from being tracked again.',
    });
  }
  return result.tokenIssued && issued ? { subjectToken: issued.token, policyVersion: policy.version } : { policyVersion: policy.version };
}
