/**
 * The project's identity mode applied to the subjects of one request (issue "Authenticated
 * subjects"). `enforce`: a subject without a valid proof refuses the whole request (401/403,
 * nothing written); failures per project are bounded, so a flood of forged signatures is
 * answered 429 before it costs lookups. `report`: everything is accepted, and what would have
 * been refused is counted (metrics, and per day in the store, so an operator sees when the
 * integration is ready for `enforce`). `off`: nothing is checked.
 *
 * Each subject gets the actor the ledger records: `sdk` with `identity:<secret id>`,
 * `anonymous_id`, `unverified:<failure>` (report) or `unchecked` (off).
 */
import type { SubjectProof } from '@heed/policy';
import { DomainError, type DomainErrorCode } from '../errors/domain-error.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Actor, IdentityMode, Store } from '../store/store.js';
import type { IdentityFailure, ProofVerifier } from './verify-proof.js';

export interface SubjectVerdict {
  /** Whether the caller proved this subject (signed identity or anonymous preimage). */
  readonly verified: boolean;
  readonly actor: Actor;
  /** Why it did not verify (report mode; in `enforce` the request was refused). */
  readonly failure?: IdentityFailure;
}

export interface IdentityCheck {
  /** The mode in force for the project (cached briefly). */
  mode(projectId: string): Promise<IdentityMode>;
  /** Forgets the cached mode (this process), after staff changed it. */
  invalidate(projectId: string): void;
  /** A verdict per subject hash; throws a DomainError when the mode refuses one. */
  check(projectId: string, subjects: ReadonlyMap<string, SubjectProof | undefined>): Promise<Map<string, SubjectVerdict>>;
}

/** What the metrics hear (closed label sets: no project, no subject). */
export interface IdentityMetrics {
  identityChecked(outcome: 'signed' | 'anonymous' | IdentityFailure, mode: IdentityMode): void;
  limitReached(limit: 'identity_failures'): void;
}

const REFUSAL: Record<IdentityFailure, { code: DomainErrorCode; detail: string }> = {
  missing: {
    code: 'identity_required',
    detail: 'This project verifies who a subject is: send the identity assertion your backend signed for its logged-in user (identify(userId, { identity })), or, for an anonymous subject, its anonymous id.',
  },
  malformed: { code: 'identity_invalid', detail: 'The identity proof is not shaped like an assertion (hid1.<secret id>.<expiry>.<mac>) or an anonymous id.' },
  too_long: { code: 'identity_invalid', detail: 'The identity assertion claims to live longer than this server accepts; sign it with a shorter lifetime.' },
  unknown_secret: { code: 'identity_invalid', detail: 'The identity assertion was signed with a secret this server does not know, or whose rotation overlap has ended.' },
  expired: { code: 'identity_expired', detail: 'The identity assertion has expired: have your backend sign a fresh one and call identify again.' },
  wrong_project: { code: 'identity_mismatch', detail: 'The identity assertion was signed for another project.' },
  mismatch: { code: 'identity_mismatch', detail: 'The identity assertion was not signed for this subject (or it was altered).' },
  anonymous_mismatch: { code: 'identity_mismatch', detail: 'The anonymous id does not belong to this subject.' },
};

export interface IdentityCheckOptions {
  readonly store: Pick<Store, 'findProject'>;
  readonly verifier: ProofVerifier;
  /** Failed verifications per project (enforce mode); when spent, failures are answered 429. */
  readonly failures: RateLimiter;
  readonly now: () => number;
  /** How long a project's mode is cached: a change reaches every process within it. */
  readonly cacheMs: number;
  readonly metrics?: IdentityMetrics;
}

/**
 * @example const verdicts = await identity.check(projectId, new Map([[hash, { anonymousId }]]));
 */
export function createIdentityCheck(options: IdentityCheckOptions): IdentityCheck {
  const modes = new Map<string, { mode: IdentityMode; until: number }>();

  async function mode(projectId: string): Promise<IdentityMode> {
    const now = options.now();
    const cached = modes.get(projectId);
    if (cached && cached.until > now) return cached.mode;
    const project = await options.store.findProject(projectId);
    // A key resolved to this project, so it exists; a project deleted meanwhile enforces.
    const current = project?.identityMode ?? 'enforce';
    if (modes.size >= 10_000) modes.clear();
    modes.set(projectId, { mode: current, until: now + options.cacheMs });
    return current;
  }

  return {
    mode,
    invalidate: (projectId) => void modes.delete(projectId),
    async check(projectId, subjects) {
      const inForce = await mode(projectId);
      const verdicts = new Map<string, SubjectVerdict>();
      if (inForce === 'off') {
        for (const hash of subjects.keys()) verdicts.set(hash, { verified: false, actor: { channel: 'sdk', auth: 'unchecked' } });
        return verdicts;
      }
      for (const [hash, proof] of subjects) {
        const outcome = await options.verifier.verify(projectId, hash, proof);
        options.metrics?.identityChecked(outcome.verified ? outcome.kind : outcome.failure, inForce);
        if (outcome.verified) {
          const auth = outcome.kind === 'signed' ? `identity:${outcome.secretId}` : 'anonymous_id';
          verdicts.set(hash, { verified: true, actor: { channel: 'sdk', auth } });
          continue;
        }
        if (inForce === 'report') {
          verdicts.set(hash, { verified: false, actor: { channel: 'sdk', auth: `unverified:${outcome.failure}` }, failure: outcome.failure });
          continue;
        }
        const budget = options.failures.take(projectId);
        if (!budget.ok) {
          options.metrics?.limitReached('identity_failures');
          throw new DomainError('rate_limited', {
            detail: `Too many failed identity verifications for this project; retry after ${budget.retryAfterSeconds} s.`,
            retryAfterSeconds: budget.retryAfterSeconds,
          });
        }
        throw new DomainError(REFUSAL[outcome.failure].code, { detail: REFUSAL[outcome.failure].detail });
      }
      return verdicts;
    },
  };
}
