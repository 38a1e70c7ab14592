/**
 * Storage in a Map: the test double and the Node default. `keys()` lets tests assert that
 * nothing was stored.
 */
import type { Storage } from './platform.js';

export interface MemoryStorage extends Storage {
  /** Every key stored, in insertion order. */
  keys(): string[];
}

/**
 * @example const storage = createMemoryStorage(); storage.keys() // []
 */
export function createMemoryStorage(): MemoryStorage {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    keys: () => [...map.keys()],
  };
}
