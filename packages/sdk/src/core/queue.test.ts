/**
 * The bounded queue and the batch splitter: drop-oldest with a count, persistence within one
 * macrotask that a restart reads back (one write per burst), and batches that never pass
 * the policy's limits.
 */
import type { WireEvent } from '@heed/policy';
import { createManualClock, createMemoryStorage, type MemoryStorage } from '@heed/sdk/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBatches } from './batches.js';
import { createQueue } from './queue.js';
import { createRecords } from './records.js';
import { jsonBytes } from './json-bytes.js';

const event = (n: number, name = `e${n}`): WireEvent => ({
  id: `id${String(n).padStart(19, '0')}`,
  type: 'track',
  ts: n,
  sessionId: 'session0000000000001',
  subject: 'x'.repeat(43),
  name,
});

/** Memory storage that counts its writes. */
function countingStorage(): MemoryStorage & { writes: number } {
  const storage = Object.assign(createMemoryStorage(), { writes: 0 });
  const set = storage.set;
  storage.set = (key, value) => {
    storage.writes++;
    set(key, value);
  };
  return storage;
}

function queueOn(storage = countingStorage(), limits = { maxQueueEvents: 3, maxQueueBytes: 1e6 }) {
  const drops: number[] = [];
  const clock = createManualClock();
  const records = createRecords(storage, 'heed:', (error) => {
    throw error;
  });
  const queue = createQueue(records, clock, limits, (count) => drops.push(count));
  return { queue, drops, storage, clock };
}

describe('queue', () => {
  it('drops the oldest when the count is reached, counting the drops', () => {
    const { queue, drops } = queueOn();
    for (let n = 1; n <= 5; n++) queue._push(event(n));
    expect(queue._items().map((item) => item.id)).toEqual([event(3).id, event(4).id, event(5).id]);
    expect(drops).toEqual([1, 1]);
    expect(queue._dropped()).toBe(2);
  });

  it('drops the oldest when the bytes are reached', () => {
    const bytes = jsonBytes(event(1));
    // Two events as a JSON array: the events, one comma and the brackets.
    const { queue } = queueOn(undefined, { maxQueueEvents: 100, maxQueueBytes: bytes * 2 + 3 });
    for (let n = 1; n <= 4; n++) queue._push(event(n));
    expect(queue._items().map((item) => item.ts)).toEqual([3, 4]);
  });

  it('keeps the byte bound through removals and drops, as the JSON array measures it', () => {
    const bytes = jsonBytes(event(1));
    const { queue } = queueOn(undefined, { maxQueueEvents: 100, maxQueueBytes: bytes * 3 + 4 });
    for (let n = 1; n <= 3; n++) queue._push(event(n));
    queue._remove([queue._items()[1]!]);
    queue._push(event(4));
    expect(queue._items().map((item) => item.ts)).toEqual([1, 3, 4]);
    queue._push(event(5));
    expect(queue._items().map((item) => item.ts)).toEqual([3, 4, 5]);
    expect(jsonBytes(queue._items())).toBe(bytes * 3 + 4);
  });

  it('writes within one macrotask, so a new queue on the same storage restores it; empty removes the key', async () => {
    const first = queueOn();
    first.queue._push(event(1));
    first.queue._push(event(2));
    expect(first.storage.keys()).toEqual([]);
    await first.clock.advance(0);
    const second = queueOn(first.storage);
    expect(second.queue._items()).toEqual([event(1), event(2)]);
    second.queue._remove(second.queue._items());
    await second.clock.advance(0);
    expect(first.storage.keys()).toEqual([]);
  });

  it('writes a synchronous burst of 1,000 pushes once', async () => {
    const { queue, storage, clock } = queueOn(undefined, { maxQueueEvents: 1_000, maxQueueBytes: 1e6 });
    for (let n = 1; n <= 1_000; n++) queue._push(event(n));
    expect(storage.writes).toBe(0);
    await clock.advance(0);
    expect(storage.writes).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('holds every event of the burst in the record after the tick', async () => {
    const { queue, storage, clock } = queueOn(undefined, { maxQueueEvents: 1_000, maxQueueBytes: 1e6 });
    const burst = Array.from({ length: 1_000 }, (_, n) => event(n + 1));
    for (const item of burst) queue._push(item);
    await clock.advance(0);
    expect(JSON.parse(storage.get('heed:queue')!)).toEqual(burst);
  });

  it('_save() writes a pending change at once, and nothing when there is none', () => {
    const { queue, storage, clock } = queueOn();
    queue._save();
    expect(storage.writes).toBe(0);
    queue._push(event(1));
    queue._save();
    expect(storage.writes).toBe(1);
    expect(JSON.parse(storage.get('heed:queue')!)).toEqual([event(1)]);
    expect(clock.pending()).toBe(0);
  });

  it('clear() removes the record at once and cancels the pending write', async () => {
    const { queue, storage, clock } = queueOn();
    queue._push(event(1));
    await clock.advance(0);
    queue._push(event(2));
    queue._clear();
    expect(storage.keys()).toEqual([]);
    await clock.advance(0);
    expect(storage.keys()).toEqual([]);
    expect(queue._items()).toEqual([]);
  });

  it('survives corrupt storage by starting empty and reporting', () => {
    const storage = createMemoryStorage();
    storage.set('heed:queue', '{not json');
    const errors: unknown[] = [];
    const records = createRecords(storage, 'heed:', (error) => errors.push(error));
    const queue = createQueue(records, createManualClock(), { maxQueueEvents: 10, maxQueueBytes: 1e6 }, () => undefined);
    expect(queue._items()).toEqual([]);
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
          const batches = splitBatches(items, jsonBytes(envelope), { maxEventsPerBatch: maxEvents, maxBodyBytes: maxBytes });
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
      expect(jsonBytes(text)).toBe(new TextEncoder().encode(json).length);
    }));
  });
});
