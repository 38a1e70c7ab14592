/**
 * Which HTTP answers are worth another try, written as data. A network error (no response)
 * is always retried. Everything not listed and not 2xx is final: the batch is dropped and
 * reported, because sending the same bytes again would get the same answer:
 * 400 malformed body, 401 unknown write key, 403 key of another project,
 * 413 body over the policy's limit, 415 wrong content type, 422 an event failed validation.
 */

/**
 * The statuses tried again; the requester asks it directly.
 *
 * @example RETRY_STATUSES.has(503) // true
 * @example RETRY_STATUSES.has(422) // false
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([
  408, // request timeout: the server gave up waiting for the body; nothing was stored
  429, // rate limited: wait for Retry-After
  500, // internal error: usually transient (a restart, a lost database connection)
  502, // bad gateway: a proxy lost the upstream
  503, // unavailable: overloaded or starting; Retry-After says when to come back
  504, // gateway timeout: the upstream may have stored it, ids make the retry safe
]);
