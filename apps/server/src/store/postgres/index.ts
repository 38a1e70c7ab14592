/** The PostgreSQL store: `createPostgresStore` and its options. */
export { createPostgresStore } from './postgres-store.js';
export type { PostgresStore } from './postgres-store.js';
export type { PostgresOptions } from './connection.js';
