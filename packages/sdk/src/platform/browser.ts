/**
 * The browser platform: fetch and sendBeacon, localStorage, the Page Lifecycle events,
 * Web Crypto. Every global is read through `globalThis` and may be missing (server-side
 * rendering, workers, sandboxed iframes), so importing this never throws and a missing
 * piece degrades (memory storage, no lifecycle) instead of breaking the host.
 */
import { nanoid } from 'nanoid';
import { deviceClass } from '../core/device-class.js';
import type { Lifecycle, LifecycleEvent, Platform, Storage } from '../core/platform.js';
import { createFetchTransport } from './fetch-transport.js';
import { createMemoryStorage } from '../core/memory-storage.js';

/** Inputs that show someone is using the page; throttled to one signal a second. */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'scroll', 'touchstart', 'wheel'];

const g = globalThis as typeof globalThis & { doNotTrack?: string };
const nav = g.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined;
const doc = g.document as Document | undefined;

function localStorageOrMemory(): Storage {
  try {
    const local = g.localStorage;
    if (local) {
      return {
        get: (key) => local.getItem(key),
        set: (key, value) => local.setItem(key, value),
        remove: (key) => local.removeItem(key),
      };
    }
  } catch (error) {
    // Reading `localStorage` throws in sandboxed iframes and with cookies blocked.
    void error;
  }
  return createMemoryStorage();
}

function browserLifecycle(): Lifecycle {
  return {
    visible: () => doc?.visibilityState !== 'hidden',
    online: () => nav?.onLine !== false,
    subscribe(listener) {
      let last = 0;
      const on = (target: EventTarget | undefined, name: string, handler: () => void) => {
        target?.addEventListener(name, handler, { capture: true, passive: true });
        return () => target?.removeEventListener(name, handler, { capture: true });
      };
      const fire = (event: LifecycleEvent) => () => listener(event);
      const activity = () => {
        const now = Date.now();
        if (now - last >= 1_000) {
          last = now;
          listener('activity');
        }
      };
      const off = [
        on(doc, 'visibilitychange', () => listener(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')),
        on(g, 'pagehide', fire('pagehide')),
        on(g, 'online', fire('online')),
        on(g, 'offline', fire('offline')),
        ...ACTIVITY.map((name) => on(g, name, activity)),
      ];
      return () => off.forEach((remove) => remove());
    },
  };
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await g.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The platform for browsers.
 *
 * @example createClient(options, createBrowserPlatform(options.endpoint))
 */
export function createBrowserPlatform(endpoint: string): Platform {
  return {
    transport: createFetchTransport(endpoint),
    storage: localStorageOrMemory(),
    lifecycle: browserLifecycle(),
    clock: { now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
    hasher: { sha256 },
    environment: {
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      device: () => deviceClass(nav?.userAgent, nav?.maxTouchPoints),
      privacySignal: () => nav?.globalPrivacyControl === true || nav?.doNotTrack === '1' || g.doNotTrack === '1',
    },
    newId: () => nanoid(),
    random: Math.random,
  };
}
