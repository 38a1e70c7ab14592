/**
 * The bounded event queue. Events wait here until the server acknowledged them, so a crash,
 * a reload or a long offline spell loses nothing: every change is written through to
 * storage (localStorage in the browser), and the client only creates a queue after consent,
 * so nothing is stored before it. When full (count or bytes) the oldest events go first and
 * the drops are counted.
 */
import type { WireEvent } from '@heed/policy';
import type { SizedEvent } from './batches.js';
import type { Storage } from './platform.js';
import { utf8Length } from './utf8-length.js';

export interface QueueOptions {
  readonly storage: Storage;
  readonly key: string;
  readonly maxEvents: number;
  readonly maxBytes: number;
  /** Called with the number of events dropped (full queue) or the storage error. */
  readonly onDrop: (count: number) => void;
  readonly onStorageError: (error: unknown) => void;
}

export interface EventQueue {
  /** The queued events, oldest first. */
  items(): readonly SizedEvent[];
  push(event: WireEvent): void;
  /** Removes the events with these ids (acknowledged or refused). */
  remove(ids: ReadonlySet<string>): void;
  /** Empties the queue and its storage key. */
  clear(): void;
  /** Events dropped because the queue was full, since creation. */
  dropped(): number;
}

/**
 * Creates a queue, restoring what an earlier page or process left in storage.
 *
 * @example const queue = createQueue({ storage, key: 'heed:queue', maxEvents: 1_000, maxBytes: 512 * 1024, onDrop, onStorageError })
 */
export function createQueue(options: QueueOptions): EventQueue {
  const { storage, key } = options;
  let items: SizedEvent[] = restore();
  let bytes = items.reduce((sum, item) => sum + item.bytes, 0);
  let dropped = 0;

  function sized(event: WireEvent): SizedEvent {
    return { event, bytes: utf8Length(JSON.stringify(event)) };
  }

  function restore(): SizedEvent[] {
    try {
      const text = storage.get(key);
      const events: unknown = text ? JSON.parse(text) : [];
      return Array.isArray(events) ? events.map((event: WireEvent) => sized(event)) : [];
    } catch (error) {
      // Unreadable storage or corrupt JSON: start empty rather than never sending again.
      options.onStorageError(error);
      return [];
    }
  }

  function persist(): void {
    try {
      if (items.length) storage.set(key, JSON.stringify(items.map((item) => item.event)));
      else storage.remove(key);
    } catch (error) {
      // Quota or private mode: the events stay in memory and are still delivered.
      options.onStorageError(error);
    }
  }

  function replace(next: SizedEvent[]): void {
    if (next.length === items.length) return;
    items = next;
    bytes = items.reduce((sum, item) => sum + item.bytes, 0);
    persist();
  }

  return {
    items: () => items,
    push(event) {
      const item = sized(event);
      items.push(item);
      bytes += item.bytes;
      let drop = 0;
      while (items.length > 1 && (items.length > options.maxEvents || bytes > options.maxBytes)) {
        bytes -= items.shift()!.bytes;
        drop++;
      }
      persist();
      if (drop) {
        dropped += drop;
        options.onDrop(drop);
      }
    },
    remove: (ids) => replace(items.filter((item) => !ids.has(item.event.id))),
    clear() {
      items = [];
      bytes = 0;
      persist();
    },
    dropped: () => dropped,
  };
}
