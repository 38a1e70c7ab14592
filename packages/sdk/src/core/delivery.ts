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
import type { ResolvedOptions } from './options.js';
import type { Platform, TimerHandle } from './platform.js';
import type { Requester } from './requester.js';
import { utf8Length } from './utf8-length.js';

/** Browsers refuse keepalive and beacon bodies past 64 KiB in flight. */
export const UNLOAD_MAX_BYTES = 64 * 1024;

/** What delivery asks of the client. */
export interface DeliveryHooks {
  readonly queue: () => EventQueue | undefined;
  readonly requester: Requester;
  /** Batch envelope without `sentAt` and `events`. */
  readonly envelope: () => { writeKey: string; tz: string; device: string; sdk: string };
  /** Resolves to the batch limits once sending may start (policy known, consent recorded), or undefined. */
  readonly prepare: () => Promise<BatchLimits | undefined>;
  /** Synchronous version for unload: the limits if sending may start now. */
  readonly readyNow: () => BatchLimits | undefined;
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
 * @example const delivery = createDelivery(platform, options, hooks); delivery.schedule()
 */
export function createDelivery(
  { clock, transport, lifecycle }: Pick<Platform, 'clock' | 'transport' | 'lifecycle'>,
  { flushIntervalMs, retryMaxMs }: Pick<ResolvedOptions, 'flushIntervalMs' | 'retryMaxMs'>,
  hooks: DeliveryHooks,
): Delivery {
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  function batchesOf(items: readonly SizedEvent[], limits: BatchLimits) {
    const envelope = { ...hooks.envelope(), sentAt: clock.now(), events: [] as WireEvent[] };
    const batches = splitBatches(items, utf8Length(JSON.stringify(envelope)), limits);
    const body = (batch: SizedEvent[]) => JSON.stringify({ ...envelope, events: batch.map((item) => item.event) });
    return { batches, body };
  }

  /** Offline pauses sending: a backoff in progress ends, the `online` event flushes again. */
  const sending = () => hooks.live() && lifecycle.online();

  async function run(): Promise<void> {
    while (sending()) {
      const limits = await hooks.prepare();
      const queue = hooks.queue();
      if (!limits || !queue || !hooks.live()) return;
      const { batches, body } = batchesOf(queue.items(), limits);
      const batch = batches[0];
      if (!batch) return;
      const ids = new Set(batch.map((item) => item.event.id));
      const outcome = await hooks.requester.send(
        { method: 'POST', path: '/v1/batch', body: body(batch), contentType: 'text' },
        sending,
      );
      if (!outcome.ok && !outcome.final) {
        if (hooks.live()) timer ??= clock.setTimeout(flush, retryMaxMs);
        return;
      }
      // A refused batch is dropped (and was reported): the same bytes would be refused again.
      if (hooks.live()) queue.remove(ids);
      if (outcome.ok) hooks.onResponse(outcome.response.body as BatchResponse);
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
      const queue = hooks.queue();
      if (!queue || !hooks.live()) return;
      const limits = hooks.readyNow();
      if (limits && queue.items().length >= limits.maxEvents) void flush();
      else timer ??= clock.setTimeout(flush, flushIntervalMs);
    },
    flush,
    beacon() {
      const queue = hooks.queue();
      const limits = hooks.readyNow();
      if (!queue || !limits || !hooks.live()) return;
      const { batches, body } = batchesOf(queue.items(), {
        maxEvents: limits.maxEvents,
        maxBytes: Math.min(limits.maxBytes, UNLOAD_MAX_BYTES),
      });
      for (const batch of batches.reverse()) {
        // Refused (quota spent): the rest stays stored and goes out on the next page.
        if (!transport.beacon('/v1/batch', body(batch))) return;
        queue.remove(new Set(batch.map((item) => item.event.id)));
      }
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
