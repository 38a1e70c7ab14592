/**
 * Applies the drizzle-kit migrations in `drizzle/postgres` at start. Several server processes
 * may start at once against one database: a session advisory lock lets one migrate while the
 * others wait, then find nothing left to do.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { migrationsFolder } from '../migrations-folder.js';
import { LOCK_CLASS, sslOption, type PostgresOptions } from './connection.js';

const MIGRATION_LOCK = 1;

/**
 * @example await migratePostgres({ url: 'postgres://root@127.0.0.1:5432/heed' });
 */
export async function migratePostgres(options: Pick<PostgresOptions, 'url' | 'ssl'>): Promise<void> {
  // One dedicated connection: the advisory lock belongs to a session, and DDL must not hit the
  // statement timeout meant for requests.
  const ssl = sslOption(options.ssl);
  const sql = postgres(options.url, {
    max: 1,
    onnotice: () => {},
    ...(ssl === undefined ? {} : { ssl }),
  });
  try {
    await sql`SELECT pg_advisory_lock(${LOCK_CLASS}::int, ${MIGRATION_LOCK}::int)`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: migrationsFolder('postgres') });
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_CLASS}::int, ${MIGRATION_LOCK}::int)`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
