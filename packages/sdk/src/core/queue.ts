/**
 * The bounded event queue. Events wait here until the server acknowledged them, so a crash,
 * a reload or a long offline spell loses nothing: changes are written to the `queue` record
 * (localStorage in the browser), and the client only creates a queue after consent, so
 * nothing is stored before it. When full (count or bytes) the oldest events go first and the
 * drops are counted. Storage failures are reported by the records; the events stay in memory
 * and are still delivered.
 *
 * `push` costs O(1) whatever the queue holds: the byte total is kept as a running sum, and
 * the record is written once per macrotask (a burst of 1,000 `track` calls is one write of
 * the whole queue, not 1,000), through the platform clock. `_save()` writes at once: the
 * client calls it when the page is hidden or goes away, before a beacon, and on shutdown,
 * where the next macrotask may never come.
 */
import type { WireEvent } from '@heed/policy';
import type { HeedOptions } from './options.js';
import type { Clock, TimerHandle } from './platform.js';
import type { Records } from './records.js';
import { weightOf } from './json-bytes.js';

/** The bounds: `maxQueueEvents` events and `maxQueueBytes` bytes as JSON. */
export type QueueOptions = Pick<HeedOptions, 'maxQueueEvents' | 'maxQueueBytes'>;

export interface EventQueue {
  /** The queued events, oldest first. */
  _items(): readonly WireEvent[];
  /** Adds an event; the record follows within one macrotask. */
  _push(event: WireEvent): void;
  /** Removes these events, the very objects `_items()` gave (acknowledged or refused). */
  _remove(done: readonly WireEvent[]): void;
  /** Empties the queue and removes its record at once (withdrawal). */
  _clear(): void;
  /** Writes a pending change now (the page is going away). */
  _save(): void;
  /** Events dropped because the queue was full, since creation. */
  _dropped(): number;
}

/**
 * Creates a queue, restoring what an earlier page or process left in the `queue` record.
 * Writes go through `clock` so the core touches no global timer.
 *
 * `onDrop` gets the number of events dropped because the queue was full.
 *
 * @example const queue = createQueue(records, clock, { maxQueueEvents: 1_000, maxQueueBytes: 512 * 1024 }, onDrop)
 */
export function createQueue(
  records: Records,
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
  { maxQueueEvents = 1_000, maxQueueBytes = 512 * 1024 }: QueueOptions,
  onDrop: (count: number) => void,
): EventQueue {
  const restored = records._read<WireEvent[]>('queue');
  let items: WireEvent[] = Array.isArray(restored) ? restored : [];
  /** The queue's size as a JSON array, kept as a running sum: measuring it is O(1). */
  let bytes = items.reduce((sum, item) => sum + weightOf(item), 1);
  let dropped = 0;
  /** The pending write; set means the record is behind memory. */
  let timer: TimerHandle | undefined;

  function write(): void {
    clock.clearTimeout(timer);
    timer = undefined;
    if (items.length) records._write('queue', items);
    else records._remove('queue');
  }

  return {
    _items: () => items,
    _push(event) {
      // Weighed first: props JSON cannot encode (a BigInt, a cycle) throw here, before the
      // event can poison the queue.
      bytes += weightOf(event);
      items.push(event);
      let drop = 0;
      while (items.length > 1 && (items.length > maxQueueEvents || bytes > maxQueueBytes)) {
        bytes -= weightOf(items.shift()!);
        drop++;
      }
      timer ??= clock.setTimeout(write, 0);
      if (drop) {
        dropped += drop;
        onDrop(drop);
      }
    },
    _remove(done) {
      const gone = new Set(done);
      // Only what is still here is subtracted: some of `done` may have been dropped meanwhile.
      // (Measuring the whole queue again would cost O(queue) JSON encodings per answered batch.)
      for (const item of items) if (gone.has(item)) bytes -= weightOf(item);
      items = items.filter((item) => !gone.has(item));
      timer ??= clock.setTimeout(write, 0);
    },
    _clear() {
      items = [];
      bytes = 1;
      write();
    },
    _save() {
      if (timer !== undefined) write();
    },
    _dropped: () => dropped,
  };
}
