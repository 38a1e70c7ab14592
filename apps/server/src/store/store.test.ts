/** The Store contract (`store.case.ts`) on every store: SQLite and PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createTestDatabase, queryPostgres, storesUnderTest } from '../testing/test-databases.js';
import { createPostgresStore } from './postgres/index.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import { storeContract, type OpenedStore } from './store.case.js';
import { testLedgerKeys } from '../testing/test-keys.js';

// Summed over PostgreSQL's writer slots (a counter may be split over several rows there).
const AGGREGATES = 'SELECT bucket, metric, dim, sum(value) AS value FROM aggregates WHERE purpose = ? AND grain = ? GROUP BY bucket, metric, dim ORDER BY bucket, metric, dim';

async function open(kind: 'sqlite' | 'postgres'): Promise<OpenedStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'heed-store-'));
    const store = createSqliteStore({ path: join(dir, 'heed.db'), seal: testLedgerKeys() });
    return {
      store,
      aggregates: async (purpose, grain) => store.client.prepare(AGGREGATES).all(purpose, grain) as never,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const store = createPostgresStore({ url: database.url, poolSize: 8, seal: testLedgerKeys() });
  await store.ready();
  return {
    store,
    aggregates: (purpose, grain) => queryPostgres(database.url, AGGREGATES.replace('ORDER BY bucket, metric, dim', 'ORDER BY bucket, metric COLLATE "C", dim COLLATE "C"'), [purpose, grain]),
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

describe.each(storesUnderTest())('Store contract on %s', (kind) => {
  storeContract(() => open(kind));
});
