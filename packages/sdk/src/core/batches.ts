/**
 * Splits queued events into request bodies that stay under the policy's limits
 * (`maxEventsPerBatch`, `maxBodyBytes`); the server answers 413 to anything larger, and
 * unload requests must stay under 64 KiB (the browsers' keepalive quota).
 */
import type { WireEvent } from '@heed/policy';

/** A queued event with its JSON size in bytes, counted once when it was queued. */
export interface SizedEvent {
  readonly event: WireEvent;
  readonly bytes: number;
}

export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/**
 * Consecutive runs of `events`, each fitting in one body of `envelopeBytes` (the envelope
 * JSON with an empty `events` array) plus the events and their separating commas. An event
 * too large on its own travels alone (the server refuses it and the batch is dropped).
 *
 * @example splitBatches(sized, 120, { maxEvents: 200, maxBytes: 65_536 }).length // 1 for a few events
 */
export function splitBatches(events: readonly SizedEvent[], envelopeBytes: number, limits: BatchLimits): SizedEvent[][] {
  const batches: SizedEvent[][] = [];
  let current: SizedEvent[] = [];
  let bytes = envelopeBytes;
  for (const item of events) {
    const added = item.bytes + (current.length ? 1 : 0);
    if (current.length && (current.length >= limits.maxEvents || bytes + added > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = envelopeBytes;
    }
    bytes += item.bytes + (current.length ? 1 : 0);
    current.push(item);
  }
  if (current.length) batches.push(current);
  return batches;
}
