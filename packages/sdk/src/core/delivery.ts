/**
 * Delivery: moves queued events to `POST /v1/batch` in batches under the policy's limits,
 * one request at a time, removing events only once the server answered for them. Retryable
 * failures keep the events (same ids: the server dedupes), final refusals drop the batch and
 * report it. On pagehide what is queued goes out through the beacon in chunks of at most
 * 64 KiB, newest first so `session_end` is never the part the browser's quota cuts off.
 */
import type { BatchResponse, WireEvent } from '@heed/policy';
import { splitBatches, type BatchLimits, type SizedEvent } from './batches.js';
import type { EventQueue } from './queue.js';
import type { Clock, TimerHandle, Transport } from './platform.js';
import type { Requester } from './requester.js';
import { utf8Length } from './utf8-length.js';

/** Browsers refuse keepalive and beacon bodies past 64 KiB in flight. */
export const UNLOAD_MAX_BYTES = 64 * 1024;

export interface DeliveryOptions {
  readonly queue: () => EventQueue | undefined;
  readonly requester: Requester;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly flushIntervalMs: number;
  /** When retries ran out: try again after this long even if nothing new is tracked. */
  readonly retryLaterMs: number;
  /** Batch envelope without `sentAt` and `events`. */
  readonly envelope: () => { writeKey: string; tz: string; device: string; sdk: string };
  /** Resolves to the batch limits once sending may start (policy known, consent recorded), or undefined. */
  readonly prepare: () => Promise<BatchLimits | undefined>;
  /** Synchronous version for unload: the limits if sending may start now. */
  readonly readyNow: () => BatchLimits | undefined;
  /** Drops what the server would refuse (too old, invalid); called before each batch. */
  readonly prune: (event: WireEvent) => boolean;
  readonly online: () => boolean;
  /** Whether requests may still go out (consent open, not shut down). */
  readonly live: () => boolean;
  readonly onResponse: (response: BatchResponse) => void;
}

export interface Delivery {
  /** Arms the batching timer, or flushes now when a full batch is waiting. */
  schedule(): void;
  /** Sends until the queue is empty, a failure outlasts the retries, or sending stops. */
  flush(): Promise<void>;
  /** Unload: hands what is queued to the beacon. */
  beacon(): void;
  /** Disarms the timer. */
  stop(): void;
}

/**
 * @example const delivery = createDelivery(options); delivery.schedule()
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { clock } = options;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  function batchesOf(items: readonly SizedEvent[], limits: BatchLimits) {
    const envelope = { ...options.envelope(), sentAt: clock.now(), events: [] as WireEvent[] };
    const batches = splitBatches(items, utf8Length(JSON.stringify(envelope)), limits);
    const body = (batch: SizedEvent[]) => JSON.stringify({ ...envelope, events: batch.map((item) => item.event) });
    return { batches, body };
  }

  async function run(): Promise<void> {
    while (options.live() && options.online()) {
      const limits = await options.prepare();
      const queue = options.queue();
      if (!limits || !queue || !options.live()) return;
      queue.prune(options.prune);
      const { batches, body } = batchesOf(queue.items(), limits);
      const batch = batches[0];
      if (!batch) return;
      const ids = new Set(batch.map((item) => item.event.id));
      const outcome = await options.requester.send(
        { method: 'POST', path: '/v1/batch', body: body(batch), contentType: 'text' },
        options.live,
      );
      if (!outcome.ok && !outcome.final) {
        if (options.live()) timer ??= clock.setTimeout(flush, options.retryLaterMs);
        return;
      }
      // A refused batch is dropped (and was reported): the same bytes would be refused again.
      if (options.live()) queue.remove(ids);
      if (outcome.ok) options.onResponse(outcome.response.body as BatchResponse);
    }
  }

  function flush(): Promise<void> {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    schedule() {
      const queue = options.queue();
      if (!queue || !options.live()) return;
      const limits = options.readyNow();
      if (limits && queue.items().length >= limits.maxEvents) void flush();
      else timer ??= clock.setTimeout(flush, options.flushIntervalMs);
    },
    flush,
    beacon() {
      const queue = options.queue();
      const limits = options.readyNow();
      if (!queue || !limits || !options.live()) return;
      queue.prune(options.prune);
      const { batches, body } = batchesOf(queue.items(), {
        maxEvents: limits.maxEvents,
        maxBytes: Math.min(limits.maxBytes, UNLOAD_MAX_BYTES),
      });
      for (const batch of batches.reverse()) {
        // Refused (quota spent): the rest stays stored and goes out on the next page.
        if (!options.transport.beacon('/v1/batch', body(batch))) return;
        queue.remove(new Set(batch.map((item) => item.event.id)));
      }
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
