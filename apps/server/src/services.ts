/**
 * What the domain functions need, built once at start and passed down: no module reaches for
 * a global store, clock or policy.
 */
import type { PolicyDocument, WireSchemas } from '@heed/policy';
import type { Clock } from './clock.js';
import type { KeyRing } from './crypto/key-ring.js';
import type { Pseudonymizer } from './crypto/pseudonymizer.js';
import type { IdentityCheck } from './identity/identity-check.js';
import type { LedgerKeys } from './ledger/chain.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import type { PolicyRegistry } from './policies/policy-registry.js';
import type { Logger } from './logger.js';
import type { Metrics } from './observability/metrics.js';
import type { KeyResolver } from './projects/key-resolver.js';
import type { Store } from './store/store.js';

export interface Services {
  readonly store: Store;
  /** The server's policy; a project may carry its own: ask `policies.forProject`. */
  readonly policy: PolicyDocument;
  /** SHA-256 of the server's policy document. */
  readonly policyHash: string;
  /** The policy in force for each project (its own, or the server's). */
  readonly policies: PolicyRegistry;
  readonly schemas: WireSchemas;
  readonly pseudonymizer: Pseudonymizer;
  /** Seals and checks the consent ledger (the ledger key lives apart from the database). */
  readonly ledger: LedgerKeys;
  /** The identity master keys that project identity secrets are derived from. */
  readonly identityKeys: KeyRing;
  /** Who vouches for a subject, under each project's identity mode. */
  readonly identity: IdentityCheck;
  /** Named limits of the domain (the request rate per project is the HTTP layer's). */
  readonly limits: { readonly consentPerSubject: RateLimiter };
  readonly keys: KeyResolver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}
