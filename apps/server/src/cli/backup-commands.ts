/**
 * `heed backup`: a copy of the SQLite database as of one moment, taken while the server runs.
 * `heed restore`: that copy put back while the server is stopped, with the requests that
 * restricted processing since it was taken applied again (docs/operations.md, "Backups").
 */
import { resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { runRetention } from '../retention/run-retention.js';
import { carryOver } from '../rights/carry-over.js';
import { restoreSqlite, RestoreRefusedError } from '../store/sqlite/restore.js';
import { BackupTargetExistsError } from '../store/store.js';
import { BOOLEAN, on, STRING, text, type CliCommand } from './command.js';
import { OPERATOR } from './rights-commands.js';

const POSTGRES = 'back PostgreSQL up and restore it with its own tools (pg_dump and pg_restore, or a base backup): docs/operations.md, "Backups"';

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
    usage: '--from FILE [--json]',
    summary: 'put a backup in place of the database (server stopped), then redo the erasures, restrictions, withdrawals and objections made since',
    flags: { from: STRING, json: BOOLEAN },
    async run({ flags, config, services }) {
      const from = text(flags, 'from');
      if (!from) throw new ConfigError('restore needs --from FILE (a heed backup)');
      if (config.database.kind !== 'sqlite') throw new ConfigError(POSTGRES);
      if (config.database.path === ':memory:') throw new ConfigError('restore puts a backup in place of a database file; this server keeps its database in memory');
      let restored;
      try {
        restored = restoreSqlite(config.database.path, resolve(from));
      } catch (error) {
        throw error instanceof RestoreRefusedError ? new ConfigError(`restore refused, nothing changed: ${error.message}`) : error;
      }
      // Opened on the restored file: its migrations run, then the requests since are applied
      // again, then whatever the policy no longer lets the backup keep goes.
      const carried = restored.restrictive === undefined ? undefined : await carryOver(services(), restored.restrictive, { ...OPERATOR, auth: `${OPERATOR.auth}:restore` });
      const retention = await runRetention(services());
      const report = { database: config.database.path, bytes: restored.bytes, carried: carried ?? null, retention: retention.deleted };
      if (on(flags, 'json')) {
        console.log(JSON.stringify(report));
        return 0;
      }
      console.log(`restored ${resolve(from)} as ${config.database.path}: ${restored.bytes} bytes`);
      if (carried === undefined) console.log('the replaced database could not be read: erase, restrict and object again by hand for whoever asked since the backup was taken');
      else console.log(`applied again from the replaced database: ${carried.erased} erased, ${carried.restricted} restricted, ${carried.withdrawn} withdrawn, ${carried.objected} objected; ${carried.absent} not in the backup, ${carried.held} under a legal hold`);
      console.log(`retention: ${Object.entries(retention.deleted).map(([dataClass, n]) => `${dataClass} ${n}`).join(', ')} deleted`);
      return 0;
    },
  },
];
