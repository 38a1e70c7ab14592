/**
 * Consent changes as a value and a feed: `_get()` returns the same object until something a
 * caller can see changed (so React's `useSyncExternalStore` can use it as its snapshot), and
 * each change reaches every subscriber once. Changes come from this page (grant, withdrawal)
 * and from elsewhere (a batch answer saying the privacy page withdrew), so a UI mirrors
 * consent without polling.
 */
import type { Fail } from '../errors.js';

export interface ChangeFeed<T> {
  /** The current value; the same object until it changes. */
  _get(): T;
  /** Recomputes the value and tells every subscriber when it differs. */
  _notify(): void;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  _subscribe(listener: (value: T) => void): () => void;
}

/**
 * Values are compared as JSON: they are small records of strings and arrays. A listener that
 * throws is reported as `callback` and the others still run.
 *
 * @example const feed = createChangeFeed(() => ({ status: 'undecided' }), fail); feed._subscribe(render)
 */
export function createChangeFeed<T>(compute: () => T, fail: Fail): ChangeFeed<T> {
  let value = compute();
  let text = JSON.stringify(value);
  const listeners = new Set<(value: T) => void>();
  return {
    _get: () => value,
    _notify() {
      const next = compute();
      const json = JSON.stringify(next);
      if (json === text) return;
      text = json;
      value = next;
      listeners.forEach((listener) => {
        try {
          listener(next);
        } catch (cause) {
          fail('callback', 'subscribe', cause);
        }
      });
    },
    _subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
