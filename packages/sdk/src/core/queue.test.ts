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
import { utf8Length } from './utf8-length.js';

const event = (n: number, name = `e${n}`): WireEvent => ({
  id: `id${String(n).padStart(19, '0')}`,
  type: 'track',
  ts: n,
  sessionId: 'session0000000000001',
  subject: 'x'.repeat(43),
  name,
});

function queueOn(storage = createMemoryStorage(), limits = { maxEvents: 3, maxBytes: 1e6 }) {
  const drops: number[] = [];
  const queue = createQueue({ storage, key: 'heed:queue', ...limits, onDrop: (count) => drops.push(count), onStorageError: (error) => { throw error; } });
  return { queue, drops, storage };
}

describe('queue', () => {
  it('drops the oldest when the count is reached, counting the drops', () => {
    const { queue, drops } = queueOn();
    for (let n = 1; n <= 5; n++) queue.push(event(n));
    expect(queue.items().map((item) => item.event.id)).toEqual([event(3).id, event(4).id, event(5).id]);
    expect(drops).toEqual([1, 1]);
    expect(queue.dropped()).toBe(2);
  });

  it('drops the oldest when the bytes are reached', () => {
    const bytes = utf8Length(JSON.stringify(event(1)));
    const { queue } = queueOn(undefined, { maxEvents: 100, maxBytes: bytes * 2 });
    for (let n = 1; n <= 4; n++) queue.push(event(n));
    expect(queue.items().map((item) => item.event.ts)).toEqual([3, 4]);
  });

  it('writes through, so a new queue on the same storage restores it; empty removes the key', () => {
    const first = queueOn();
    first.queue.push(event(1));
    first.queue.push(event(2));
    const second = queueOn(first.storage);
    expect(second.queue.items().map((item) => item.event)).toEqual([event(1), event(2)]);
    second.queue.remove(new Set([event(1).id, event(2).id]));
    expect(first.storage.keys()).toEqual([]);
  });

  it('survives corrupt storage by starting empty and reporting', () => {
    const storage = createMemoryStorage();
    storage.set('heed:queue', '{not json');
    const errors: unknown[] = [];
    const queue = createQueue({ storage, key: 'heed:queue', maxEvents: 10, maxBytes: 1e6, onDrop: () => undefined, onStorageError: (error) => errors.push(error) });
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
          const items = names.map((name, n) => {
            const value = event(n, name);
            return { event: value, bytes: utf8Length(JSON.stringify(value)) };
          });
          const envelope = { writeKey: 'wk', sentAt: 1, tz: 'UTC', device: 'desktop', sdk: 'heed-js/0.1.0', events: [] as WireEvent[] };
          const batches = splitBatches(items, utf8Length(JSON.stringify(envelope)), { maxEvents, maxBytes });
          expect(batches.flat()).toEqual(items);
          for (const batch of batches) {
            const body = JSON.stringify({ ...envelope, events: batch.map((item) => item.event) });
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
