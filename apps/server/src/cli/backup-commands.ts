/**
 * `heed backup`: a copy of the SQLite database as of one moment, taken while the server runs.
 * `heed restore`: that copy put back while the server is stopped (on PostgreSQL: a restore
 * made with its own tools, named with the database it replaced), with the requests that
 * restricted processing since the backup was taken applied again (docs/operations.md, "Backups").
 */
import { resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { runRetention } from '../retention/run-retention.js';
import { carryOver } from '../rights/carry-over.js';
import { databaseName, readReplacedPostgres } from '../store/postgres/replaced-database.js';
import { restoreSqlite } from '../store/sqlite/restore.js';
import { BackupTargetExistsError, RestoreRefusedError, type RestrictiveState } from '../store/store.js';
import { BOOLEAN, on, STRING, text, type CliCommand } from './command.js';
import { OPERATOR } from './rights-commands.js';

const POSTGRES = 'back PostgreSQL up and restore it with its own tools (pg_dump and pg_restore, or a base backup), then run heed restore --replaced URL: docs/operations.md, "Backups"';

/** What a restore put in place, and what the database it replaced held that restricts processing. */
interface Restored {
  readonly restrictive: readonly RestrictiveState[] | undefined;
  readonly line: string;
  readonly report: Record<string, unknown>;
}

/** SQLite: the backup file copied in place of the database (`store/sqlite/restore.ts`). */
function restoreFile(database: string, from: string | undefined): Restored {
  if (from === undefined) throw new ConfigError('restore needs --from FILE (a heed backup)');
  if (database === ':memory:') throw new ConfigError('restore puts a backup in place of a database file; this server keeps its database in memory');
  const file = resolve(from);
  const { bytes, restrictive } = restoreSqlite(database, file);
  return { restrictive, line: `restored ${file} as ${database}: ${bytes} bytes`, report: { database, bytes } };
}

/**
 * PostgreSQL: the configured database is already the restored one (pg_restore); the one it
 * replaced is read (`store/postgres/replaced-database.ts`) before the configured store opens.
 * (Should both URLs name one database by different names, what is read is already in force
 * there: the carry-over finds nothing to do.)
 */
async function readReplaced(database: string, replaced: string | undefined): Promise<Restored> {
  if (replaced === undefined) throw new ConfigError('on PostgreSQL, restore with pg_restore into a new database, configure the server with it, then run heed restore --replaced URL (the database it replaces)');
  const restrictive = await readReplacedPostgres(replaced, database);
  return { restrictive, line: `restored database ${databaseName(database)}, replacing ${databaseName(replaced)}`, report: { database: databaseName(database), replaced: databaseName(replaced) } };
}

export const BACKUP_COMMANDS: readonly CliCommand[] = [
  {
    name: 'backup',
    usage: '--to FILE [--json]',
    summary: 'copy the SQLite database, as of one moment, into a new file while the server runs',
    flags: { to: STRING, json: BOOLEAN },
    async run({ flags, services }) {
      const to = text(flags, 'to');
      if (!to) throw new ConfigError('backup needs --to FILE (a new file)');
      const { store } = services();
      if (!store.backup) throw new ConfigError(POSTGRES);
      const started = performance.now();
      const report = await store.backup(resolve(to)).catch((error: unknown) => {
        throw error instanceof BackupTargetExistsError ? new ConfigError(error.message) : error;
      });
      const seconds = (performance.now() - started) / 1_000;
      if (on(flags, 'json')) console.log(JSON.stringify({ ...report, seconds: Number(seconds.toFixed(2)) }));
      else console.log(`backed up to ${report.file}: ${report.bytes} bytes in ${seconds.toFixed(1)} s`);
      return 0;
    },
  },
  {
    name: 'restore',
    usage: '--from FILE | --replaced URL [--json]',
    summary: 'SQLite: put a backup in place of the database (server stopped); PostgreSQL, after pg_restore: name the database it replaced. Then redo the erasures, restrictions, withdrawals and objections made since',
    flags: { from: STRING, replaced: STRING, json: BOOLEAN },
    async run({ flags, config, services }) {
      let restored: Restored;
      try {
        restored = config.database.kind === 'sqlite' ? restoreFile(config.database.path, text(flags, 'from')) : await readReplaced(config.database.url, text(flags, 'replaced'));
      } catch (error) {
        throw error instanceof RestoreRefusedError ? new ConfigError(`restore refused, nothing changed: ${error.message}`) : error;
      }
      // On the restored database (its migrations run): the requests since are applied again,
      // then whatever the policy no longer lets the backup keep goes.
      const carried = restored.restrictive === undefined ? undefined : await carryOver(services(), restored.restrictive, { ...OPERATOR, auth: `${OPERATOR.auth}:restore` });
      const retention = await runRetention(services());
      if (on(flags, 'json')) {
        console.log(JSON.stringify({ ...restored.report, carried: carried ?? null, retention: retention.deleted }));
        return 0;
      }
      console.log(restored.line);
      if (carried === undefined) console.log('the replaced database could not be read: erase, restrict and object again by hand for whoever asked since the backup was taken');
      else console.log(`applied again from the replaced database: ${carried.erased} erased, ${carried.restricted} restricted, ${carried.withdrawn} withdrawn, ${carried.objected} objected; ${carried.absent} not in the backup, ${carried.held} under a legal hold`);
      console.log(`retention: ${Object.entries(retention.deleted).map(([dataClass, n]) => `${dataClass} ${n}`).join(', ')} deleted`);
      return 0;
    },
  },
];
