/**
 * The bounded event queue. Events wait here until the server acknowledged them, so a crash,
 * a reload or a long offline spell loses nothing: every change is written through to the
 * `queue` record (localStorage in the browser), and the client only creates a queue after
 * consent, so nothing is stored before it. When full (count or bytes) the oldest events go
 * first and the drops are counted. Storage failures are reported by the records; the events
 * stay in memory and are still delivered.
 */
import type { WireEvent } from '@heed/policy';
import type { ResolvedOptions } from './options.js';
import type { Records } from './records.js';
import { utf8Length } from './utf8-length.js';

/** The bounds: `maxQueueEvents` events and `maxQueueBytes` bytes as JSON. */
export type QueueOptions = Pick<ResolvedOptions, 'maxQueueEvents' | 'maxQueueBytes'>;

export interface EventQueue {
  /** The queued events, oldest first. */
  items(): readonly WireEvent[];
  push(event: WireEvent): void;
  /** Removes these events, the very objects `items()` gave (acknowledged or refused). */
  remove(done: readonly WireEvent[]): void;
  /** Empties the queue and its record. */
  clear(): void;
  /** Events dropped because the queue was full, since creation. */
  dropped(): number;
}

/** UTF-8 bytes of an event as JSON, the form it is stored and sent in. */
const bytesOf = (value: unknown) => utf8Length(JSON.stringify(value));

/**
 * Creates a queue, restoring what an earlier page or process left in the `queue` record.
 *
 * `onDrop` gets the number of events dropped because the queue was full.
 *
 * @example const queue = createQueue(records, { maxQueueEvents: 1_000, maxQueueBytes: 512 * 1024 }, onDrop)
 */
export function createQueue(records: Records, { maxQueueEvents, maxQueueBytes }: QueueOptions, onDrop: (count: number) => void): EventQueue {
  const restored = records.read<WireEvent[]>('queue');
  let items: WireEvent[] = Array.isArray(restored) ? restored : [];
  let dropped = 0;

  function persist(): void {
    if (items.length) records.write('queue', items);
    else records.remove('queue');
  }

  return {
    items: () => items,
    push(event) {
      items.push(event);
      let bytes = bytesOf(items);
      let drop = 0;
      while (items.length > 1 && (items.length > maxQueueEvents || bytes > maxQueueBytes)) {
        // The array's JSON loses the event and one comma.
        bytes -= bytesOf(items.shift()) + 1;
        drop++;
      }
      persist();
      if (drop) {
        dropped += drop;
        onDrop(drop);
      }
    },
    remove(done) {
      const left = items.filter((item) => !done.includes(item));
      if (left.length === items.length) return;
      items = left;
      persist();
    },
    clear() {
      items = [];
      persist();
    },
    dropped: () => dropped,
  };
}
