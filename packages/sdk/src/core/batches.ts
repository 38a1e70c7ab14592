/**
 * Splits queued events into request bodies that stay under the policy's limits
 * (`maxEventsPerBatch`, `maxBodyBytes`); the server answers 413 to anything larger, and
 * unload requests must stay under 64 KiB (the browsers' keepalive quota).
 */
import type { IngestLimits, WireEvent } from '@heed/policy';
import { jsonBytes } from './json-bytes.js';

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
  let bytes = envelopeBytes;
  for (const event of events) {
    const size = jsonBytes(event);
    // Each event after the first adds a separating comma.
    if (current.length && (current.length >= maxEventsPerBatch || bytes + size + 1 > maxBodyBytes)) {
      batches.push(current);
      current = [];
      bytes = envelopeBytes;
    }
    bytes += size + (current.length ? 1 : 0);
    current.push(event);
  }
  if (current.length) batches.push(current);
  return batches;
}
