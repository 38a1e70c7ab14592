/**
 * What `createHeed` accepts. Every duration and bound is configurable so tests can run hours
 * of simulated use in milliseconds, and a platform can tune the trade-off between request
 * count and what a crash may lose.
 *
 * Each default (named in the JSDoc below) is applied by the part that reads the option, as a
 * destructuring default: the option's name is then written once in the browser bundle rather
 * than in a defaults object too, and an option passed as `undefined` gets its default.
 */
import type { PolicyDocument } from '@heed/policy';
import type { HeedError } from './errors.js';
import type { Platform } from './platform.js';

/** Why the SDK needs a new decision. */
export interface ConsentRequiredInfo {
  /** `policy_changed`: the policy in force replaced the consented version substantially; `server`: a batch answer said so. */
  readonly reason: 'policy_changed' | 'server';
  /** The policy version in force. */
  readonly policyVersion: string;
}

export interface HeedOptions {
  /** Base URL of the Heed server, e.g. `https://heed.example.com`. */
  readonly endpoint: string;
  /** The project's public write key (ingest only). */
  readonly writeKey: string;
  /** Scopes the subject hash, so one user id gives unrelated subjects in two projects. */
  readonly projectId: string;
  /** The policy in force; fetched from `GET /v1/policy` when needed if absent. */
  readonly policy?: PolicyDocument;
  /** Replaces parts of the platform (storage, transport, clock, ...): tests, Node file storage. */
  readonly platform?: Partial<Platform>;
  /** Every failure ends here; the SDK never throws into the host. */
  readonly onError?: (error: HeedError) => void;
  /** The user must be asked again (substantial policy change); tracking has stopped. */
  readonly onConsentRequired?: (info: ConsentRequiredInfo) => void;
  /** Send GPC / Do Not Track as objection to legitimate-interest purposes. Default true. */
  readonly honorPrivacySignals?: boolean;
  /** Inactivity that ends a session. Default 30 min. */
  readonly sessionGapMs?: number;
  /** Time after the last input during which a visible page counts as actively used. Default 60 s. */
  readonly idleAfterMs?: number;
  /** Heartbeat interval: the most active time a crash can lose. Default 15 s. */
  readonly heartbeatMs?: number;
  /** How long events wait to be batched. Default 5 s. */
  readonly flushIntervalMs?: number;
  /** Queue bounds. Default 1,000 events, 512 KiB. */
  readonly maxQueueEvents?: number;
  readonly maxQueueBytes?: number;
  /** Retries of one request before giving up until the next flush. Default 5. */
  readonly maxRetries?: number;
  /** Backoff base and cap. Default 1 s and 60 s. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Lifetime of the anonymous id. Default 13 months (395 days). */
  readonly anonymousIdLifetimeMs?: number;
  /** Prefix of the storage keys. Default `heed:`. */
  readonly storagePrefix?: string;
}

/** Default of `retryMaxMs`, read by the requester (the backoff cap) and by delivery (the next try after the retries). */
export const RETRY_MAX_MS = 60_000;
