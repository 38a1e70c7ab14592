/**
 * Applies the drizzle-kit migrations in `drizzle/sqlite` when the file is opened, before the
 * store prepares a statement. No lock as in `postgres/migrate.ts`: SQLite is served by one
 * process (docs/scaling.md). drizzle's migrator applies what is pending in one transaction,
 * so a migration that fails leaves the file as it was.
 */
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsFolder } from '../migrations-folder.js';
import type * as schema from './schema.js';

/** @example migrateSqlite(drizzle(new Database('./data/heed.db'), { schema })); */
export function migrateSqlite(db: BetterSQLite3Database<typeof schema>): void {
  migrate(db, { migrationsFolder: migrationsFolder('sqlite') });
}
