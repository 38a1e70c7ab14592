/**
 * The bounded queue and the batch splitter: drop-oldest with a count, write-through
 * persistence that a restart reads back, and batches that never pass the policy's limits.
 */
import type { WireEvent } from '@heed/policy';
import { createMemoryStorage } from '@heed/sdk/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBatches } from './batches.js';
import { createQueue } from './queue.js';
import { createRecords } from './records.js';
import { utf8Length } from './utf8-length.js';

const event = (n: number, name = `e${n}`): WireEvent => ({
  id: `id${String(n).padStart(19, '0')}`,
  type: 'track',
  ts: n,
  sessionId: 'session0000000000001',
  subject: 'x'.repeat(43),
  name,
});

function queueOn(storage = createMemoryStorage(), limits = { maxQueueEvents: 3, maxQueueBytes: 1e6 }) {
  const drops: number[] = [];
  const records = createRecords(storage, 'heed:', (error) => {
    throw error;
  });
  const queue = createQueue(records, limits, (count) => drops.push(count));
  return { queue, drops, storage };
}

describe('queue', () => {
  it('drops the oldest when the count is reached, counting the drops', () => {
    const { queue, drops } = queueOn();
    for (let n = 1; n <= 5; n++) queue.push(event(n));
    expect(queue.items().map((item) => item.id)).toEqual([event(3).id, event(4).id, event(5).id]);
    expect(drops).toEqual([1, 1]);
    expect(queue.dropped()).toBe(2);
  });

  it('drops the oldest when the bytes are reached', () => {
    const bytes = utf8Length(JSON.stringify(event(1)));
    // Two events as a JSON array: the events, one comma and the brackets.
    const { queue } = queueOn(undefined, { maxQueueEvents: 100, maxQueueBytes: bytes * 2 + 3 });
    for (let n = 1; n <= 4; n++) queue.push(event(n));
    expect(queue.items().map((item) => item.ts)).toEqual([3, 4]);
  });

  it('writes through, so a new queue on the same storage restores it; empty removes the key', () => {
    const first = queueOn();
    first.queue.push(event(1));
    first.queue.push(event(2));
    const second = queueOn(first.storage);
    expect(second.queue.items()).toEqual([event(1), event(2)]);
    second.queue.remove(second.queue.items());
    expect(first.storage.keys()).toEqual([]);
  });

  it('survives corrupt storage by starting empty and reporting', () => {
    const storage = createMemoryStorage();
    storage.set('heed:queue', '{not json');
    const errors: unknown[] = [];
    const records = createRecords(storage, 'heed:', (error) => errors.push(error));
    const queue = createQueue(records, { maxQueueEvents: 10, maxQueueBytes: 1e6 }, () => undefined);
    expect(queue.items()).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

describe('splitBatches', () => {
  it('keeps every body within maxBytes and maxEvents, in order, losing nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300, unit: 'binary' }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 2_000, max: 70_000 }),
        (names, maxEvents, maxBytes) => {
          const items = names.map((name, n) => event(n, name));
          const envelope = { writeKey: 'wk', sentAt: 1, tz: 'UTC', device: 'desktop', sdk: 'heed-js/0.1.0', events: [] as WireEvent[] };
          const batches = splitBatches(items, utf8Length(JSON.stringify(envelope)), { maxEventsPerBatch: maxEvents, maxBodyBytes: maxBytes });
          expect(batches.flat()).toEqual(items);
          for (const batch of batches) {
            const body = JSON.stringify({ ...envelope, events: batch });
            expect(batch.length).toBeLessThanOrEqual(maxEvents);
            expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });

  it('counts UTF-8 like TextEncoder', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const json = JSON.stringify(text);
      expect(utf8Length(json)).toBe(new TextEncoder().encode(json).length);
    }));
  });
});
