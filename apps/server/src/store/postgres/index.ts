/** The PostgreSQL store: `createPostgresStore` and its options. */
export { createPostgresStore } from './postgres-store.js';
export type { PostgresStore, PostgresStoreOptions } from './postgres-store.js';
export type { PostgresOptions } from './connection.js';
