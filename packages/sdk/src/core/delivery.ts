/**
 * Delivery: moves queued events to `POST /v1/batch` in batches under the policy's limits,
 * one request at a time, removing events only once the server answered for them. Retryable
 * failures keep the events (same ids: the server dedupes), final refusals drop the batch and
 * report it. On pagehide what is queued goes out through the beacon in chunks of at most
 * 64 KiB, newest first so `session_end` is never the part the browser's quota cuts off.
 */
import type { BatchResponse, WireEvent } from '@heed/policy';
import { splitBatches, type BatchLimits } from './batches.js';
import type { ConsentMachine } from './consent/consent-state.js';
import { RETRY_MAX_MS, type HeedOptions } from './options.js';
import type { Platform, TimerHandle } from './platform.js';
import type { EventQueue } from './queue.js';
import type { Requester } from './requester.js';
import { jsonBytes } from './json-bytes.js';

export const SDK_VERSION = 'heed-js/0.1.0';

/** Browsers refuse keepalive and beacon bodies past 64 KiB in flight. */
export const UNLOAD_MAX_BYTES = 64 * 1024;

export interface Delivery {
  /** Arms the batching timer, or flushes now when a full batch is waiting. */
  _schedule(): void;
  /** Sends until the queue is empty, a failure outlasts the retries, or sending stops. */
  _flush(): Promise<void>;
  /** Unload: hands what is queued to the beacon. */
  _beacon(): void;
  /** Disarms the timer. */
  _stop(): void;
}

/**
 * What delivery asks of the client: the queue (none while the gate is closed); `consent`,
 * when sending may start (`_ready`, `_readyNow`) and what each batch answer says about the
 * subject's consent (`_answer`). Requests go out only while there is a queue (consent open, not shut down).
 *
 * @example const delivery = createDelivery(platform, options, () => queue, requester, consent); delivery._schedule()
 */
export function createDelivery(
  { clock, transport, lifecycle, environment }: Pick<Platform, 'clock' | 'transport' | 'lifecycle' | 'environment'>,
  { writeKey, flushIntervalMs = 5_000, retryMaxMs = RETRY_MAX_MS }: Pick<HeedOptions, 'writeKey' | 'flushIntervalMs' | 'retryMaxMs'>,
  queue: () => EventQueue | undefined,
  requester: Requester,
  consent: Pick<ConsentMachine, '_ready' | '_readyNow' | '_answer' | '_proofs'>,
): Delivery {
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  /** The batches `events` make under `limits`, and the request body of each. */
  function batchesOf(events: readonly WireEvent[], limits: BatchLimits) {
    // Each subject's proof goes with its events (the server refuses a subject it cannot verify),
    // in the envelope: the splitting below then counts its bytes.
    const envelope = { writeKey, tz: environment.timeZone(), device: environment.device(), sdk: SDK_VERSION, sentAt: clock.now(), proofs: consent._proofs(events), events: [] };
    const body = (batch: WireEvent[]) => JSON.stringify({ ...envelope, events: batch });
    return [splitBatches(events, jsonBytes(envelope), limits), body] as const;
  }

  /** Offline pauses sending: a backoff in progress ends, the `online` event flushes again. */
  const sending = () => !!queue() && lifecycle.online();

  async function run(): Promise<void> {
    while (sending()) {
      const policy = await consent._ready();
      const queued = queue();
      if (!policy || !queued) return;
      // The first batch holds at most maxEventsPerBatch events: splitting only those keeps a
      // flush of a long queue linear (splitting all of it for each batch was quadratic).
      const [[batch], body] = batchesOf(queued._items().slice(0, policy.limits.maxEventsPerBatch), policy.limits);
      if (!batch) return;
      // A full queue drops its oldest events, so a batch waiting to be retried loses its head
      // first: stop retrying it then, and send what is left, so a dropped event is never sent.
      const intact = () => sending() && queued._items()[0] === batch[0];
      const { _response, _final } = await requester._send({ method: 'POST', path: '/v1/batch', body: body(batch), contentType: 'text' }, intact);
      if (!_response && !_final) {
        if (sending() && !intact()) continue;
        if (queue()) timer ??= clock.setTimeout(flush, retryMaxMs);
        return;
      }
      // A refused batch is dropped (and was reported): the same bytes would be refused again.
      if (queue()) queued._remove(batch);
      if (_response) consent._answer(_response.body as BatchResponse);
    }
  }

  function stop(): void {
    clock.clearTimeout(timer);
    timer = undefined;
  }

  function flush(): Promise<void> {
    stop();
    return (running ??= run().finally(() => (running = undefined)));
  }

  return {
    _schedule() {
      const limits = consent._readyNow()?.limits;
      if (limits && (queue()?._items().length ?? 0) >= limits.maxEventsPerBatch) void flush();
      else timer ??= clock.setTimeout(flush, flushIntervalMs);
    },
    _flush: flush,
    _beacon() {
      const queued = queue();
      const limits = consent._readyNow()?.limits;
      if (!queued || !limits) return;
      const [batches, body] = batchesOf(queued._items(), { ...limits, maxBodyBytes: Math.min(limits.maxBodyBytes, UNLOAD_MAX_BYTES) });
      for (const batch of batches.reverse()) {
        // Refused (quota spent): the rest stays stored and goes out on the next page.
        if (!transport.beacon('/v1/batch', body(batch))) return;
        queued._remove(batch);
      }
    },
    _stop: stop,
  };
}
