/**
 * The platform ports: everything the core needs from the outside world, as small interfaces
 * passed in at creation. The core touches no global (window, document, navigator, storage,
 * fetch, crypto, timers), so the same code runs in a browser, in Node and in tests;
 * `src/platform/{browser,node}.ts` and `@heed/sdk/testing` fill these in.
 */
import type { DeviceClass } from '@heed/policy';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One request to the Heed server, relative to the configured endpoint. */
export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path below the endpoint, e.g. `/v1/batch`. */
  readonly path: string;
  /** JSON text; ingest routes send it as `text/plain` so no CORS preflight is needed. */
  readonly body?: string;
  /** `text` for ingest (CORS-simple), `json` for the rights routes. */
  readonly contentType?: 'text' | 'json';
  /** Subject token for the rights routes (`Authorization: Bearer`). */
  readonly token?: string;
  /** Read the body as bytes (the CSV export is a zip). */
  readonly binary?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body is JSON, the text otherwise, bytes when `binary` was asked. */
  readonly body: unknown;
}

export interface Transport {
  /** Sends a request; rejects only when no HTTP response arrived (network error). */
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Hands a POST to the runtime to deliver after the page is gone (`sendBeacon`, or `fetch`
   * with `keepalive`). Returns false when the runtime refused it (quota, no support).
   */
  beacon(path: string, body: string): boolean;
}

/** Synchronous string storage (localStorage, a file, memory). May throw: callers catch. */
export interface Storage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/**
 * What happens around the SDK: visibility, the page going away, connectivity and user
 * input. `activity` is throttled by the platform (at most about once a second).
 */
export type LifecycleEvent = 'visible' | 'hidden' | 'pagehide' | 'online' | 'offline' | 'activity';

export interface Lifecycle {
  visible(): boolean;
  online(): boolean;
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  subscribe(listener: (event: LifecycleEvent) => void): () => void;
}

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface Hasher {
  /** SHA-256 of the UTF-8 text, base64url without padding (43 characters). */
  sha256(text: string): Promise<string>;
}

/** What the batch envelope and the consent decision say about the device. */
export interface Environment {
  timeZone(): string;
  device(): DeviceClass;
  /** Global Privacy Control or Do Not Track is on. */
  privacySignal(): boolean;
}

export interface Platform {
  readonly transport: Transport;
  readonly storage: Storage;
  readonly lifecycle: Lifecycle;
  readonly clock: Clock;
  readonly hasher: Hasher;
  readonly environment: Environment;
  /** A new random id (nanoid, 21 characters). */
  newId(): string;
  /** A number in [0, 1) for retry jitter. */
  random(): number;
}
