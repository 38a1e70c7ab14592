/**
 * A browser-shaped global scope for SDK benchmarks in Node: happy-dom's window, document,
 * navigator and localStorage on `globalThis`, with every way out to the network (fetch,
 * XMLHttpRequest, sendBeacon) replaced by a counting no-op that answers 200 at once, so
 * nothing leaves the machine and delivery costs only what the SDK itself does.
 * localStorage writes are counted too: for several SDKs they dominate the per-call cost.
 */
import { Window } from 'happy-dom';

export interface ShimCounters {
  requests: number;
  storageWrites: number;
  consoleLines: number;
}

export type Responder = (url: string, body: string | undefined) => unknown;

/** Installs the shim; `respond` gives the JSON body of each no-op response (default `{}`). */
export function installDomShim(respond: Responder = () => ({})): ShimCounters {
  const counters: ShimCounters = { requests: 0, storageWrites: 0, consoleLines: 0 };
  // A desktop Chrome user agent: Countly ignores bots and some SDKs skip automation (webdriver).
  const window = new Window({
    url: 'https://app.example.com/reports',
    width: 1280,
    height: 800,
    settings: { navigator: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36' } },
  });
  Object.defineProperty(window.navigator, 'webdriver', { configurable: true, value: false });
  const fetchNoop = async (input: unknown, init?: { body?: unknown }) => {
    counters.requests++;
    const url = typeof input === 'string' ? input : String((input as { url?: string }).url ?? input);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    return new Response(JSON.stringify(respond(url, body) ?? {}), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  class CountingXhr {
    readyState = 0;
    status = 0;
    responseText = '';
    onreadystatechange: (() => void) | null = null;
    onload: (() => void) | null = null;
    private url = '';
    open(_method: string, url: string) {
      this.url = url;
      this.readyState = 1;
    }
    setRequestHeader() {}
    send(body?: string) {
      counters.requests++;
      this.responseText = JSON.stringify(respond(this.url, body) ?? {});
      queueMicrotask(() => {
        this.readyState = 4;
        this.status = 200;
        this.onreadystatechange?.();
        this.onload?.();
      });
    }
    abort() {}
    getAllResponseHeaders() {
      return 'content-type: application/json';
    }
  }
  const storage = Object.getPrototypeOf(window.localStorage) as { setItem(key: string, value: string): void };
  const setItem = storage.setItem;
  storage.setItem = function (this: unknown, key: string, value: string) {
    counters.storageWrites++;
    setItem.call(this, key, value);
  };
  Object.defineProperty(window.navigator, 'sendBeacon', { configurable: true, value: () => (counters.requests++, true) });
  const w = window as unknown as Record<string, unknown>;
  w.fetch = fetchNoop;
  w.XMLHttpRequest = CountingXhr;
  const globals = [
    'window', 'self', 'document', 'navigator', 'location', 'history', 'screen', 'localStorage', 'sessionStorage',
    'HTMLElement', 'Element', 'Node', 'MutationObserver', 'ResizeObserver', 'IntersectionObserver', 'getComputedStyle',
    'requestAnimationFrame', 'cancelAnimationFrame', 'matchMedia', 'innerWidth', 'innerHeight', 'scrollY', 'XMLHttpRequest',
    'addEventListener', 'removeEventListener', 'dispatchEvent',
  ];
  for (const name of globals) {
    const value = name === 'window' || name === 'self' ? window : w[name];
    Object.defineProperty(globalThis, name, { configurable: true, writable: true, value: typeof value === 'function' && /^[a-z]/.test(name) ? (value as (...a: unknown[]) => unknown).bind(window) : value });
  }
  Object.defineProperty(globalThis, 'fetch', { configurable: true, writable: true, value: fetchNoop });
  // SDK logging (opt-out warnings, debug lines) would time the terminal, not the SDK: counted instead.
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => void counters.consoleLines++;
  return counters;
}
