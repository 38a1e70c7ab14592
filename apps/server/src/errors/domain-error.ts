/**
 * The domain's one error class: what ingest, rights, identity, projects and statistics throw
 * when a request cannot be served as asked. It names a stable `code` and says nothing about
 * HTTP: `http/on-error.ts` maps each code to its problem+json status in one table, so domain
 * code stays usable from the CLI and tests without a web framework.
 */
import type { FieldIssue } from '@heed/policy';

/** Stable codes; each is also the problem `type` a client sees (see http/problem.ts). */
export const DOMAIN_ERROR_CODES = [
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'policy_version',
  'subject_erased',
  'legal_hold',
  'unprocessable',
  'rate_limited',
  'identity_required',
  'identity_invalid',
  'identity_expired',
  'identity_mismatch',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface DomainErrorOptions {
  /** For people: what was wrong and what to do instead. */
  readonly detail: string;
  /** The failing fields of a validation error. */
  readonly errors?: readonly FieldIssue[];
  /** When the caller may try again (rate limits). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * @example throw new DomainError('not_found', { detail: 'No data is held about this subject.' });
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly detail: string;
  readonly errors: readonly FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: DomainErrorCode, options: DomainErrorOptions) {
    super(options.detail, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
