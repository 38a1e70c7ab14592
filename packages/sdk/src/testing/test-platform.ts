/**
 * A whole platform of test doubles in one call: memory storage, the fake transport, a manual
 * clock, a fake lifecycle, real SHA-256 (Web Crypto, present in Node 20 and browsers) and
 * predictable ids, so tests can assert exact events.
 */
import { createMemoryStorage, type MemoryStorage } from '../core/memory-storage.js';
import type { Environment, Platform } from '../core/platform.js';
import { createFakeLifecycle, type FakeLifecycle } from './fake-lifecycle.js';
import { createFakeTransport, type FakeTransport } from './fake-transport.js';
import { createManualClock, type ManualClock } from './manual-clock.js';

let ids = 0;

export interface TestPlatform {
  readonly platform: Platform;
  readonly storage: MemoryStorage;
  readonly transport: FakeTransport;
  readonly clock: ManualClock;
  readonly lifecycle: FakeLifecycle;
  readonly environment: Environment & { signal: boolean };
}

/**
 * @example
 * const test = createTestPlatform()
 * const heed = createHeed({ endpoint: 'https://heed.test', writeKey: 'wk', projectId: 'acme', platform: test.platform })
 */
export function createTestPlatform(parts: Partial<Omit<TestPlatform, 'platform'>> = {}): TestPlatform {
  const storage = parts.storage ?? createMemoryStorage();
  const transport = parts.transport ?? createFakeTransport();
  const clock = parts.clock ?? createManualClock();
  const lifecycle = parts.lifecycle ?? createFakeLifecycle();
  const environment: TestPlatform['environment'] = parts.environment ?? {
    signal: false,
    timeZone: () => 'Europe/Brussels',
    device: () => 'desktop' as const,
    privacySignal: () => environment.signal,
  };
  const platform: Platform = {
    transport,
    storage,
    lifecycle,
    clock,
    environment,
    hasher: {
      async sha256(text) {
        const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
        return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      },
    },
    // 21 characters like nanoid; one counter per process, so ids stay unique across simulated restarts.
    newId: () => `id${String(++ids).padStart(19, '0')}`,
    random: () => 0.5,
  };
  return { platform, storage, transport, clock, lifecycle, environment };
}
