/**
 * @heed/server: the ingestion server as a library, for tests, benchmarks and embedding.
 */
export { createApp } from './app.js';
export type { AppOptions } from './app.js';
export { loadConfig, ConfigError } from './config.js';
export type { Config } from './config.js';
export { buildServices, loadLedgerKeys, openStore, startServer } from './server.js';
export type { RunningServer } from './server.js';
export { manualClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { createProject, createKey } from './projects/projects.js';
export type { CreatedProject } from './projects/projects.js';
export { createSqliteStore } from './store/sqlite/sqlite-store.js';
export { createPostgresStore } from './store/postgres/index.js';
export type { PostgresOptions, PostgresStore, PostgresStoreOptions } from './store/postgres/index.js';
export type { Store } from './store/store.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export type { LedgerVerdict } from './ledger/verify-ledger.js';
export { createLedgerKeys } from './ledger/chain.js';
export type { LedgerKeys } from './ledger/chain.js';
export { keyRing, loadKeyRing } from './crypto/key-ring.js';
export type { KeyRing, RingKey } from './crypto/key-ring.js';
export { anonymousHash, identifiedHash } from './crypto/client-hash.js';
export type { Services } from './services.js';
