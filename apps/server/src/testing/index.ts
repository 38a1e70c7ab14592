/** `@heed/server/testing`: a real server on a temporary SQLite file, for tests. */
export { TEST_START, startTestServer } from './test-server.js';
export type { TestServer, TestServerOptions } from './test-server.js';
