/**
 * One request with retries: capped exponential backoff with full jitter on network errors
 * and the retryable statuses, `Retry-After` honoured, final statuses reported once. Shared by
 * batches, consent decisions and the rights calls, so they all follow one status policy.
 */
import { HeedRequestError, type HeedError } from './errors.js';
import { RETRY_MAX_MS, type HeedOptions } from './options.js';
import type { HttpRequest, HttpResponse, Platform } from './platform.js';
import { parseRetryAfter, retryDelay } from './retry-delay.js';
import { RETRY_STATUSES } from './status-policy.js';

/**
 * `_response`: the 2xx answer. Without one, `_final` says the server refused the request (do
 * not send it again); otherwise retries ran out or the SDK stopped.
 */
export interface RequestOutcome {
  readonly _response?: HttpResponse;
  readonly _final?: boolean;
}

export type RetryOptions = Pick<HeedOptions, 'maxRetries' | 'retryBaseMs' | 'retryMaxMs'>;

export interface Requester {
  /** Sends `request`, retrying while `live()` holds. Never rejects. */
  _send(request: HttpRequest, live: () => boolean): Promise<RequestOutcome>;
  /** Wakes every pending backoff now (shutdown, withdrawal, back online). */
  _wake(): void;
}

/**
 * @example const outcome = await createRequester(platform, options, report)._send({ method: 'POST', path: '/v1/batch', body }, () => true)
 */
export function createRequester(
  { transport, clock, random }: Pick<Platform, 'transport' | 'clock' | 'random'>,
  { maxRetries = 5, retryBaseMs = 1_000, retryMaxMs = RETRY_MAX_MS }: RetryOptions,
  report: (error: HeedError) => void,
): Requester {
  /** A wake-up for each backoff in progress: ends the wait early (or on time, from its timer). */
  const sleeping = new Set<() => void>();

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clock.clearTimeout(handle);
        sleeping.delete(wake);
        resolve();
      };
      const handle = clock.setTimeout(wake, ms);
      sleeping.add(wake);
    });
  }

  async function send(request: HttpRequest, live: () => boolean): Promise<RequestOutcome> {
    for (let attempt = 0; live(); attempt++) {
      let response: HttpResponse | undefined;
      let cause: unknown;
      try {
        response = await transport.send(request);
        if (response.status >= 200 && response.status < 300) return { _response: response };
      } catch (error) {
        // No response (offline, DNS, CORS, aborted): always worth another try.
        cause = error;
      }
      const status = response?.status ?? 0;
      const final = !!status && !RETRY_STATUSES.has(status);
      if (final || attempt >= maxRetries) {
        report(new HeedRequestError(request.method, request.path, status, response?.body, cause));
        return { _final: final };
      }
      // The request lost its reason while it failed (withdrawal, shutdown, a blocked route): no backoff.
      if (!live()) break;
      await sleep(parseRetryAfter(response?.headers['retry-after'], clock.now()) ?? retryDelay(attempt, retryBaseMs, retryMaxMs, random()));
    }
    return {};
  }

  return {
    _send: send,
    _wake: () => sleeping.forEach((wake) => wake()),
  };
}
