/** `@heed/server/testing`: a real server on a temporary SQLite file or PostgreSQL database, for tests. */
export { TEST_START, startTestServer } from './test-server.js';
export type { TestServer, TestServerOptions } from './test-server.js';
export { createTestDatabase, databaseUrl, queryPostgres, storesUnderTest, TEST_POSTGRES_URL } from './test-databases.js';
export type { TestDatabase, TestStoreKind } from './test-databases.js';
export { BUILT_CLI, freePort, startServerProcess } from './server-process.js';
export type { ServerProcess, ServerProcessOptions } from './server-process.js';
export { seeded } from '../seeded-random.js';
