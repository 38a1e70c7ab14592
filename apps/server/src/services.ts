/**
 * What the domain functions need, built once at start and passed down: no module reaches for
 * a global store, clock or policy.
 */
import type { PolicyDocument, WireSchemas } from '@heed/policy';
import type { Clock } from './clock.js';
import type { Pseudonymizer } from './crypto/pseudonymizer.js';
import type { Logger } from './logger.js';
import type { Metrics } from './observability/metrics.js';
import type { KeyResolver } from './projects/key-resolver.js';
import type { Store } from './store/store.js';

export interface Services {
  readonly store: Store;
  readonly policy: PolicyDocument;
  readonly schemas: WireSchemas;
  readonly pseudonymizer: Pseudonymizer;
  readonly keys: KeyResolver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}
