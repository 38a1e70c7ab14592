/**
 * The SDK's errors. The SDK never throws into the host page: every failure becomes one of
 * these and goes to `onError`. Each has a stable `code` to branch on and keeps its `cause`.
 */

export type HeedErrorCode =
  /** No HTTP response: offline, DNS, aborted; or the rights chunk did not load. */
  | 'network'
  /**
   * A rights call got no response while the server answers `GET /v1/policy`: the browser
   * blocked it because the page's origin is not in the server's `HEED_CORS_ORIGINS`. Not retried.
   */
  | 'cors'
  /** The server answered with a status that is not 2xx. */
  | 'http'
  /**
   * `track` was given props JSON cannot encode (a BigInt, a cycle); the event was not queued.
   * Everything else the server checks: a batch it refuses (422) is reported as `http`.
   */
  | 'invalid_event'
  /** The bounded queue was full and dropped its oldest events. */
  | 'queue_overflow'
  /** The policy document could not be loaded, so consent cannot be recorded. */
  | 'policy_unavailable'
  /** A rights call without a subject token (no decision recorded from this device, or erased). */
  | 'no_subject_token'
  /** Storage refused a read or write (quota, private mode, no localStorage in a sandboxed iframe). */
  | 'storage'
  /** Hashing failed (no Web Crypto: an insecure context). */
  | 'hash'
  /** A host callback threw. */
  | 'callback';

/** Builds a HeedError and reports it to `onError` (the parts of the core get it passed in). */
export type Fail = (code: HeedErrorCode, message: string, cause?: unknown) => void;

/**
 * Base of every SDK error.
 *
 * @example
 * createHeed({ ..., onError: (error) => { if (error.code === 'http') console.warn(error.message) } })
 */
export class HeedError extends Error {
  declare readonly code: HeedErrorCode;

  constructor(code: HeedErrorCode, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'HeedError';
    this.code = code;
  }
}

/**
 * A request that failed: no response (`network`) or a final status (`http`). The message
 * says what failed, e.g. `[POST] /v1/batch: 422 body.events.0.name: too long`.
 *
 * @example if (error instanceof HeedRequestError && error.status === 401) rotateWriteKey()
 */
export class HeedRequestError extends HeedError {
  /** HTTP status, 0 for a network error. */
  declare readonly status: number;
  /** The problem+json body, when the server sent one. */
  declare readonly problem: unknown;

  constructor(method: string, path: string, status: number, problem?: unknown, cause?: unknown) {
    const detail = (problem as { detail?: unknown } | undefined)?.detail;
    super(status ? 'http' : 'network', `[${method}] ${path}: ${status || 'network error'}${detail ? ' ' + detail : ''}`, cause);
    this.name = 'HeedRequestError';
    this.status = status;
    this.problem = problem;
  }
}
