/**
 * The server's Prometheus metrics, on prom-client with one registry per server (tests run
 * many servers in one process, so nothing goes to prom-client's global registry).
 *
 * Labels are closed sets only (drop reasons, time problems, data classes, route patterns,
 * status codes): never a pseudonym, a key, a project id or a raw path, so the exposition
 * carries no personal data (GDPR Art. 5(1)(c)) and its cardinality stays bounded. Every
 * labelled series starts at 0, so `rate()` sees the first increment.
 */
import { DROP_REASONS, type BatchResponse, type EventTimeProblem } from '@heed/policy';
import { Counter, Histogram, Registry } from 'prom-client';
import { IDENTITY_FAILURES, type IdentityFailure } from '../identity/verify-proof.js';
import { IDENTITY_MODES, type IdentityMode, type PrunableClass } from '../store/store.js';
import { classifyStoreError, type StoreErrorKind } from './store-errors.js';

const TIME_PROBLEMS: readonly EventTimeProblem[] = ['in_future', 'too_old'];
const PRUNABLE_CLASSES: readonly (PrunableClass | 'consentLedger')[] = ['rawEvents', 'sessions', 'activity', 'aggregates', 'rightsRequests', 'subjects', 'consentLedger'];
const STORE_ERROR_KINDS: readonly StoreErrorKind[] = ['busy', 'other'];
const IDENTITY_OUTCOMES = ['signed', 'anonymous', ...IDENTITY_FAILURES] as const;
/** The named limits that answer 429 (besides the per-project request rate). */
export const LIMITS = ['request_rate', 'consent_per_subject', 'identity_failures'] as const;
export type LimitName = (typeof LIMITS)[number];

export interface Metrics {
  /** One batch through the pipeline, with its wall time in seconds. */
  batchIngested(result: BatchResponse, seconds: number): void;
  /** An error that escaped a request or job; counted if it came from the store. */
  errorSeen(error: unknown): void;
  retentionRan(deleted: Readonly<Record<PrunableClass | 'consentLedger', number>>): void;
  retentionFailed(error: unknown): void;
  /** `route` is the matched route pattern (or `unmatched`), never the request path. */
  httpRequest(method: string, route: string, status: number): void;
  /** One subject's identity proof checked under the project's mode (`report` counts what `enforce` would refuse). */
  identityChecked(outcome: 'signed' | 'anonymous' | IdentityFailure, mode: IdentityMode): void;
  /** A named limit refused a request (429). */
  limitReached(limit: LimitName): void;
  /** The text exposition (format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * @example const metrics = createMetrics(); metrics.httpRequest('GET', '/healthz', 200); await metrics.render();
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const accepted = new Counter({ name: 'heed_events_accepted_total', help: 'Events stored: they served at least one purpose.', registers });
  const duplicates = new Counter({ name: 'heed_events_duplicate_total', help: 'Events whose id was seen before (retries), counted once already.', registers });
  const suppressed = new Counter({
    name: 'heed_events_suppressed_total',
    help: 'Events not stored because the subject state allows no purpose, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const rejected = new Counter({
    name: 'heed_events_rejected_total',
    help: 'Events refused for their timestamp, by problem.',
    labelNames: ['reason'] as const,
    registers,
  });
  const batchSeconds = new Histogram({
    name: 'heed_batch_duration_seconds',
    help: 'Time to take one validated batch through the pipeline (pseudonymise, decide, store).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const storeErrors = new Counter({
    name: 'heed_store_errors_total',
    help: 'Store failures: busy (lock held past the busy timeout, answered 503) or other.',
    labelNames: ['kind'] as const,
    registers,
  });
  const retentionRuns = new Counter({
    name: 'heed_retention_runs_total',
    help: 'Retention job runs, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const retentionDeleted = new Counter({
    name: 'heed_retention_deleted_rows_total',
    help: 'Rows the retention job deleted, by data class.',
    labelNames: ['class'] as const,
    registers,
  });
  const requests = new Counter({
    name: 'heed_http_requests_total',
    help: 'HTTP requests by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });

  const identityChecks = new Counter({
    name: 'heed_identity_checks_total',
    help: 'Subject proofs checked, by outcome (signed, anonymous, or why it failed) and the project\'s identity mode; in report mode the failures were accepted and counted.',
    labelNames: ['outcome', 'mode'] as const,
    registers,
  });
  const limitsReached = new Counter({
    name: 'heed_limit_reached_total',
    help: 'Requests refused with 429 by a named limit.',
    labelNames: ['limit'] as const,
    registers,
  });

  for (const outcome of IDENTITY_OUTCOMES) for (const mode of IDENTITY_MODES.filter((m) => m !== 'off')) identityChecks.inc({ outcome, mode }, 0);
  for (const limit of LIMITS) limitsReached.inc({ limit }, 0);
  for (const reason of DROP_REASONS) suppressed.inc({ reason }, 0);
  for (const reason of TIME_PROBLEMS) rejected.inc({ reason }, 0);
  for (const kind of STORE_ERROR_KINDS) storeErrors.inc({ kind }, 0);
  for (const outcome of ['ok', 'error']) retentionRuns.inc({ outcome }, 0);
  for (const dataClass of PRUNABLE_CLASSES) retentionDeleted.inc({ class: dataClass }, 0);

  const errorSeen = (error: unknown) => {
    const kind = classifyStoreError(error);
    if (kind) storeErrors.inc({ kind });
  };

  return {
    batchIngested(result, seconds) {
      accepted.inc(result.accepted);
      duplicates.inc(result.duplicates);
      for (const [reason, n] of Object.entries(result.reasons)) if (n) suppressed.inc({ reason }, n);
      for (const [reason, n] of Object.entries(result.rejections)) if (n) rejected.inc({ reason }, n);
      batchSeconds.observe(seconds);
    },
    errorSeen,
    retentionRan(deleted) {
      retentionRuns.inc({ outcome: 'ok' });
      for (const [dataClass, n] of Object.entries(deleted)) if (n) retentionDeleted.inc({ class: dataClass }, n);
    },
    retentionFailed(error) {
      retentionRuns.inc({ outcome: 'error' });
      errorSeen(error);
    },
    httpRequest(method, route, status) {
      requests.inc({ method, route, status: String(status) });
    },
    identityChecked(outcome, mode) {
      identityChecks.inc({ outcome, mode });
    },
    limitReached(limit) {
      limitsReached.inc({ limit });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
