/** `heed backup`: a copy of the SQLite database as of one moment, taken while the server runs. */
import { resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { BackupTargetExistsError } from '../store/store.js';
import { BOOLEAN, on, STRING, text, type CliCommand } from './command.js';

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
      if (!store.backup) throw new ConfigError('backup copies the SQLite store; back PostgreSQL up with its own tools (pg_dump, or a base backup): docs/operations.md, "Backups"');
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
];
