/**
 * The stores the suites run against, and throwaway PostgreSQL databases for them. Every
 * test server on PostgreSQL gets a database of its own, created from the `test` database's
 * server and dropped with FORCE on close, so suites run in parallel without sharing rows.
 *
 * `HEED_TEST_STORES=sqlite` runs the SQLite half only on a machine without PostgreSQL; with
 * `CI=true` that is refused, so CI cannot pass with a store left out.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export type TestStoreKind = 'sqlite' | 'postgres';

/** The server the throwaway databases are created on (trust auth on this machine). */
export const TEST_POSTGRES_URL = process.env.HEED_TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

/**
 * @example describe.each(storesUnderTest())('ingest on %s', (store) => { ... })
 */
export function storesUnderTest(env: Record<string, string | undefined> = process.env): TestStoreKind[] {
  const all: TestStoreKind[] = ['sqlite', 'postgres'];
  if (env.HEED_TEST_STORES === undefined || env.HEED_TEST_STORES === '') return all;
  const chosen = env.HEED_TEST_STORES.split(',').map((name) => name.trim()).filter((name): name is TestStoreKind => all.includes(name as TestStoreKind));
  if (env.CI === 'true' && chosen.length < all.length) {
    throw new Error(`HEED_TEST_STORES=${env.HEED_TEST_STORES}: CI runs every store; unset it`);
  }
  return chosen;
}

/** A URL for another database on the same server. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database; fails (never skips) when PostgreSQL cannot be reached.
 *
 * @example const db = await createTestDatabase(); ... await db.drop();
 */
export async function createTestDatabase(base = TEST_POSTGRES_URL): Promise<TestDatabase> {
  const name = `heed_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(`cannot create a test database on ${base} (is PostgreSQL running? see docs/scaling.md)`, { cause: error });
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    url: databaseUrl(base, name),
    async drop() {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

/**
 * Runs one statement with `?` placeholders on a database URL and returns its rows, with
 * int8/numeric as numbers and booleans as 0/1, so the same assertion reads both stores.
 */
export async function queryPostgres<T>(url: string, text: string, params: readonly unknown[]): Promise<T[]> {
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    types: { bigint: { to: 20, from: [20, 1700], serialize: (value: number) => String(value), parse: (value: string) => Number(value) } },
  });
  try {
    let n = 0;
    const rows = await sql.unsafe(text.replace(/\?/g, () => `$${++n}`), params as never[]);
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'boolean' ? Number(value) : value]))) as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}
