/**
 * The browser platform: fetch and sendBeacon, localStorage, the Page Lifecycle events,
 * Web Crypto. Every global is read through `globalThis` and may be missing (server-side
 * rendering, workers, sandboxed iframes), so importing this never throws and a missing
 * piece degrades (memory storage, no lifecycle) instead of breaking the host.
 */
import { nanoid } from 'nanoid';
import { deviceClass } from '../core/device-class.js';
import { createMemoryStorage } from '../core/memory-storage.js';
import type { Lifecycle, LifecycleEvent, Platform, Storage } from '../core/platform.js';
import { createFetchTransport } from './fetch-transport.js';

const g = globalThis as typeof globalThis & { doNotTrack?: string };
const nav = g.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined;
const doc = g.document as Document | undefined;
const visible = () => doc?.visibilityState !== 'hidden';

function localStorageOrMemory(): Storage {
  try {
    const local = g.localStorage;
    // Touch it once: Safari in private mode and blocked storage throw only on use.
    local.getItem('heed:');
    return { get: (key) => local.getItem(key), set: (key, value) => local.setItem(key, value), remove: (key) => local.removeItem(key) };
  } catch (error) {
    // No localStorage (sandboxed iframe, cookies blocked, not a browser): memory only.
    void error;
    return createMemoryStorage();
  }
}

const lifecycle: Lifecycle = {
  visible,
  online: () => nav?.onLine !== false,
  subscribe(listener) {
    const controller = new AbortController();
    const options = { capture: true, passive: true, signal: controller.signal };
    let last = 0;
    const on = (target: EventTarget | undefined, names: string, handler: (event: Event) => void) =>
      names.split(' ').forEach((name) => target?.addEventListener(name, handler, options));
    on(doc, 'visibilitychange', () => listener(visible() ? 'visible' : 'hidden'));
    on(g, 'pagehide online offline', (event) => listener(event.type as LifecycleEvent));
    // Input shows someone is there; one signal a second is plenty for 60-second idleness.
    on(g, 'pointerdown pointermove keydown scroll touchstart', () => {
      if (Date.now() - last >= 1_000) {
        last = Date.now();
        listener('activity');
      }
    });
    return () => controller.abort();
  },
};

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await g.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}

/**
 * The platform for browsers.
 *
 * @example createClient(options, createBrowserPlatform(options.endpoint))
 */
export function createBrowserPlatform(endpoint: string): Platform {
  return {
    transport: createFetchTransport(endpoint, undefined, nav?.sendBeacon && ((url, body) => nav.sendBeacon(url, body))),
    storage: localStorageOrMemory(),
    lifecycle,
    clock: { now: Date.now, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
    hasher: { sha256 },
    environment: {
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      device: () => deviceClass(nav?.userAgent, nav?.maxTouchPoints),
      privacySignal: () => nav?.globalPrivacyControl === true || nav?.doNotTrack === '1' || g.doNotTrack === '1',
    },
    newId: nanoid,
    random: Math.random,
  };
}
