/**
 * A lifecycle whose events the test fires: hide the page, go offline, close the tab.
 */
import type { Lifecycle, LifecycleEvent } from '../core/platform.js';

export interface FakeLifecycle extends Lifecycle {
  /** Delivers `event` to every subscriber, updating visibility and connectivity first. */
  fire(event: LifecycleEvent): void;
  /** Subscribers currently listening. */
  listeners(): number;
}

/**
 * @example const lifecycle = createFakeLifecycle(); lifecycle.fire('hidden')
 */
export function createFakeLifecycle(initial: { visible?: boolean; online?: boolean } = {}): FakeLifecycle {
  let visible = initial.visible ?? true;
  let online = initial.online ?? true;
  const subscribers = new Set<(event: LifecycleEvent) => void>();
  return {
    visible: () => visible,
    online: () => online,
    subscribe(listener) {
      subscribers.add(listener);
      return () => void subscribers.delete(listener);
    },
    fire(event) {
      if (event === 'visible' || event === 'hidden') visible = event === 'visible';
      if (event === 'online' || event === 'offline') online = event === 'online';
      for (const listener of [...subscribers]) listener(event);
    },
    listeners: () => subscribers.size,
  };
}
