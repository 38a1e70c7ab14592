/**
 * One request with retries: capped exponential backoff with full jitter on network errors
 * and the retryable statuses, `Retry-After` honoured, final statuses reported once. Shared by
 * batches, consent decisions and the rights calls, so they all follow one status policy.
 */
import { HeedRequestError, type HeedError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { HttpRequest, HttpResponse, Platform, TimerHandle } from './platform.js';
import { parseRetryAfter, retryDelay } from './retry-delay.js';
import { isRetryable } from './status-policy.js';

export type RequestOutcome =
  | { readonly ok: true; readonly response: HttpResponse }
  /** `final`: the server refused it (do not send it again); otherwise retries ran out or the SDK stopped. */
  | { readonly ok: false; readonly final: boolean };

export type RetryOptions = Pick<ResolvedOptions, 'maxRetries' | 'retryBaseMs' | 'retryMaxMs'>;

export interface Requester {
  /** Sends `request`, retrying while `live()` holds. Never rejects. */
  send(request: HttpRequest, live: () => boolean): Promise<RequestOutcome>;
  /** Wakes every pending backoff now (shutdown, withdrawal, back online). */
  wake(): void;
}

const GAVE_UP: RequestOutcome = { ok: false, final: false };

/**
 * @example const outcome = await createRequester(platform, options, report).send({ method: 'POST', path: '/v1/batch', body }, () => true)
 */
export function createRequester(
  { transport, clock, random }: Pick<Platform, 'transport' | 'clock' | 'random'>,
  options: RetryOptions,
  report: (error: HeedError) => void,
): Requester {
  const sleeping = new Map<TimerHandle, () => void>();

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = clock.setTimeout(() => {
        sleeping.delete(handle);
        resolve();
      }, ms);
      sleeping.set(handle, resolve);
    });
  }

  async function send(request: HttpRequest, live: () => boolean): Promise<RequestOutcome> {
    for (let attempt = 0; live(); attempt++) {
      let response: HttpResponse | undefined;
      let failure: HeedRequestError;
      try {
        response = await transport.send(request);
        if (response.status >= 200 && response.status < 300) return { ok: true, response };
        failure = new HeedRequestError(request.method, request.path, response.status, response.body);
        if (!isRetryable(response.status)) {
          report(failure);
          return { ok: false, final: true };
        }
      } catch (error) {
        failure = new HeedRequestError(request.method, request.path, 0, undefined, error);
      }
      if (attempt >= options.maxRetries) {
        report(failure);
        return GAVE_UP;
      }
      const retryAfter = parseRetryAfter(response?.headers['retry-after'], clock.now());
      await sleep(retryAfter ?? retryDelay(attempt, options.retryBaseMs, options.retryMaxMs, random()));
    }
    return GAVE_UP;
  }

  return {
    send,
    wake() {
      for (const [handle, resolve] of sleeping) {
        clock.clearTimeout(handle);
        resolve();
      }
      sleeping.clear();
    },
  };
}
