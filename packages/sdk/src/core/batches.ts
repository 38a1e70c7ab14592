/**
 * Splits queued events into request bodies that stay under the policy's limits
 * (`maxEventsPerBatch`, `maxBodyBytes`); the server answers 413 to anything larger, and
 * unload requests must stay under 64 KiB (the browsers' keepalive quota).
 */
import type { IngestLimits, WireEvent } from '@heed/policy';
import { weightOf } from './json-bytes.js';

/** The policy's batch limits, as `GET /v1/policy` gives them. */
export type BatchLimits = Pick<IngestLimits, 'maxEventsPerBatch' | 'maxBodyBytes'>;

/**
 * Consecutive runs of `events`, each fitting in one body of `envelopeBytes` (the envelope
 * JSON with an empty `events` array) plus the events and their separating commas. An event
 * too large on its own travels alone (the server refuses it and the batch is dropped).
 *
 * @example splitBatches(events, 120, { maxEventsPerBatch: 200, maxBodyBytes: 65_536 }).length // 1 for a few events
 */
export function splitBatches(events: readonly WireEvent[], envelopeBytes: number, { maxEventsPerBatch, maxBodyBytes }: BatchLimits): WireEvent[][] {
  const batches: WireEvent[][] = [];
  let current: WireEvent[] = [];
  // No batch yet: the first event starts one.
  let bytes = Infinity;
  for (const event of events) {
    const size = weightOf(event);
    if (current.length >= maxEventsPerBatch || bytes + size > maxBodyBytes) {
      batches.push((current = []));
      // Each event is counted with one separator (`weightOf`); n events need n - 1 commas,
      // so one byte comes off up front.
      bytes = envelopeBytes - 1;
    }
    bytes += size;
    current.push(event);
  }
  return batches;
}
