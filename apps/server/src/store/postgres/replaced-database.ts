/**
 * `heed restore --replaced URL` on PostgreSQL. A PostgreSQL backup is restored with its own
 * tools (`pg_restore` into a new database, which the server is then configured with); URL names
 * the database that backup replaces, and this reads from it who restricted processing since the
 * backup was taken, for the caller to apply again (`rights/carry-over.ts`), as SQLite's
 * `heed restore --from` does with the file it replaces.
 */
import postgres from 'postgres';
import { RestoreRefusedError } from '../restore-refused-error.js';
import type { RestrictiveState } from '../rows/subject-rows.js';
import { RESTRICTIVE_STATES_SQL, toRestrictiveState, type RestrictiveStateRow } from '../rules/restrictive-states.js';

/** Host, port and database of a URL, without its user or password: what messages may show. */
export function databaseName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}${decodeURIComponent(parsed.pathname)}`;
}

/**
 * Refused (`RestoreRefusedError`, nothing read or changed) when URL is the configured database,
 * cannot be reached, is not a Heed database, or while any other client is connected to it: a
 * server still running there would take requests this read misses. (A client that connects
 * after the check is the operator's to prevent: stop the servers first.)
 *
 * @example await readReplacedPostgres('postgres://heed@db/heed_old', config.database.url) // [{ projectId, pseudonym, erased: true, ... }]
 */
export async function readReplacedPostgres(replaced: string, configured: string): Promise<readonly RestrictiveState[]> {
  let name: string;
  try {
    name = databaseName(replaced);
  } catch {
    throw new RestoreRefusedError('--replaced takes the URL of the database the backup replaced (postgres://user@host:port/database)');
  }
  if (name === databaseName(configured)) throw new RestoreRefusedError(`${name} is the configured database: --replaced names the database the restored one takes the place of`);
  const sql = postgres(replaced, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [others] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;
    if (others!.n > 0) throw new RestoreRefusedError(`${name} is in use by ${others!.n} other connection(s): stop the servers (and any heed command) still on it first`);
    const [tables] = await sql<{ heed: boolean }[]>`SELECT to_regclass('subjects') IS NOT NULL AND to_regclass('projects') IS NOT NULL AS heed`;
    if (!tables!.heed) throw new RestoreRefusedError(`${name} is not a Heed database (no projects or subjects table)`);
    return (await sql.unsafe<RestrictiveStateRow[]>(RESTRICTIVE_STATES_SQL)).map(toRestrictiveState);
  } catch (error) {
    if (error instanceof RestoreRefusedError) throw error;
    throw new RestoreRefusedError(`${name} cannot be read: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
