/**
 * The browser platform: fetch and sendBeacon, localStorage, the Page Lifecycle events,
 * Web Crypto. Every global is read through `globalThis` and may be missing (server-side
 * rendering, workers, sandboxed iframes), so importing this never throws and a missing
 * piece degrades (storage reported as refused, no lifecycle) instead of breaking the host.
 */
import { deviceClass } from '../core/device-class.js';
import type { Lifecycle, LifecycleEvent, Platform, Storage } from '../core/platform.js';
import { createFetchTransport } from './fetch-transport.js';

const g = globalThis;
const nav = g.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined;
const doc = g.document as Document | undefined;
const visible = () => doc?.visibilityState !== 'hidden';

/**
 * localStorage, looked up on every use: a sandboxed iframe or blocked cookies make the lookup
 * throw, Safari's private mode throws on write. The records catch and report it, and the
 * client goes on with what it holds in memory.
 */
const storage: Storage = {
  get: (key) => g.localStorage.getItem(key),
  set: (key, value) => g.localStorage.setItem(key, value),
  remove: (key) => g.localStorage.removeItem(key),
};

const lifecycle: Lifecycle = {
  visible,
  online: () => nav?.onLine !== false,
  subscribe(listener) {
    const controller = new AbortController();
    // Capture: scroll does not bubble, so a scrolling inner element reaches the window only
    // in the capture phase. None of these events can block scrolling, so `passive` would change nothing.
    const options = { capture: true, signal: controller.signal };
    let last = 0;
    const on = (target: EventTarget | undefined, names: string, handler: (event: Event) => void) =>
      names.split(' ').forEach((name) => target?.addEventListener(name, handler, options));
    on(doc, 'visibilitychange', () => listener(visible() ? 'visible' : 'hidden'));
    on(g, 'pagehide online offline', (event) => listener(event.type as LifecycleEvent));
    // Input shows someone is there (pointer events cover touch); one signal a second is plenty for 60-second idleness.
    on(g, 'pointerdown pointermove keydown scroll', () => {
      if (Date.now() - last >= 1_000) {
        last = Date.now();
        listener('activity');
      }
    });
    return () => controller.abort();
  },
};

/** base64url without padding: the hash format of DESIGN.md, and the alphabet of nanoid. */
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');

const sha256 = async (text: string) => base64url(new Uint8Array(await g.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));

/**
 * A nanoid-compatible id (21 URL-safe characters, 126 random bits) without the nanoid
 * module: 16 random bytes in base64url are 22 characters, the first 21 carry 126 bits.
 */
const newId = () => base64url(g.crypto.getRandomValues(new Uint8Array(16))).slice(0, 21);

/**
 * The platform for browsers.
 *
 * @example createClient(options, createBrowserPlatform(options.endpoint))
 */
export function createBrowserPlatform(endpoint: string): Platform {
  return {
    transport: createFetchTransport(endpoint, nav?.sendBeacon?.bind(nav)),
    storage,
    lifecycle,
    // The timers throw ("Illegal invocation") when called as methods of another object: bound to the global.
    clock: { now: Date.now, setTimeout: setTimeout.bind(g), clearTimeout: clearTimeout.bind(g) },
    hasher: { sha256 },
    environment: {
      timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      // No window (a worker, server-side rendering): no screen to judge by.
      device: () => (g.screen ? deviceClass(!!g.matchMedia?.('(pointer:coarse)').matches, Math.min(g.screen.width, g.screen.height)) : 'other'),
      // `window.doNotTrack` was IE 11's and legacy Edge's, which cannot parse this ES2020 build.
      privacySignal: () => nav?.globalPrivacyControl === true || nav?.doNotTrack === '1',
    },
    newId,
    random: Math.random,
  };
}
