/**
 * The HTTP layer's one error class: an RFC 9457 problem with a stable `type`. The HTTP layer
 * throws it for what only HTTP knows (media types, body size, routes, methods); domain code
 * throws a `DomainError` whose code names one of these types. `on-error.ts` turns both into
 * `application/problem+json`. Anything else that escapes is a bug and becomes a 500 that shows
 * no internals.
 */
import type { FieldIssue } from '@heed/policy';
import type { DomainErrorCode } from '../errors/domain-error.js';

export const PROBLEM_TYPES = {
  validation: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'Missing or unknown key' },
  identity_required: { status: 401, title: 'This subject needs a signed identity' },
  identity_invalid: { status: 401, title: 'The identity proof is not valid' },
  identity_expired: { status: 401, title: 'The identity assertion has expired' },
  forbidden: { status: 403, title: 'This key may not do that' },
  identity_mismatch: { status: 403, title: 'The identity proof is for someone else' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  policy_version: { status: 409, title: 'Policy version not in force' },
  subject_erased: { status: 409, title: 'Subject erased' },
  legal_hold: { status: 409, title: 'Held on a legal ground' },
  body_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'The request cannot be applied' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  store_busy: { status: 503, title: 'The store is busy' },
  shutting_down: { status: 503, title: 'The server is shutting down' },
} as const satisfies Record<DomainErrorCode, { status: number; title: string }> & Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface ProblemOptions {
  readonly detail: string;
  readonly errors?: readonly FieldIssue[];
  readonly headers?: Record<string, string>;
  readonly cause?: unknown;
}

/**
 * @example throw new HttpProblem('unauthorized', { detail: 'unknown write key' });
 */
export class HttpProblem extends Error {
  readonly type: ProblemType;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: readonly FieldIssue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(type: ProblemType, options: ProblemOptions) {
    super(options.detail, { cause: options.cause });
    this.name = 'HttpProblem';
    this.type = type;
    this.status = PROBLEM_TYPES[type].status;
    this.title = PROBLEM_TYPES[type].title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  /** The problem+json body. `type` is a stable URI reference clients can switch on. */
  toJSON() {
    return {
      type: `https://heed.dev/problems/${this.type.replace(/_/g, '-')}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}
