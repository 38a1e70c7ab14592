/**
 * `@heed/sdk/testing`: test doubles for the platform ports, for this package's tests and for
 * platform code that wants to test its own Heed calls without a server, a browser or time.
 */
export { createMemoryStorage } from '../core/memory-storage.js';
export type { MemoryStorage } from '../core/memory-storage.js';
export { createFakeLifecycle } from './fake-lifecycle.js';
export type { FakeLifecycle } from './fake-lifecycle.js';
export { createFakeTransport } from './fake-transport.js';
export type { FakeAnswer, FakeTransport, RecordedRequest } from './fake-transport.js';
export { createManualClock, settle } from './manual-clock.js';
export type { ManualClock } from './manual-clock.js';
export { createTestPlatform } from './test-platform.js';
export type { TestPlatform } from './test-platform.js';
