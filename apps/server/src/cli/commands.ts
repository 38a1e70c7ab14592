/**
 * The command table of `heed`, in the order `--help` lists it. Each group's file holds its
 * commands; a new command is an entry there (a new group, one line here).
 */
import { BACKUP_COMMANDS } from './backup-commands.js';
import type { CliCommand } from './command.js';
import { IDENTITY_COMMANDS } from './identity-commands.js';
import { LEDGER_COMMANDS } from './ledger-commands.js';
import { POLICY_COMMANDS } from './policy-commands.js';
import { PROJECT_COMMANDS } from './project-commands.js';
import { REQUEST_COMMANDS } from './request-commands.js';
import { RETENTION_COMMANDS } from './retention-commands.js';
import { RIGHTS_COMMANDS } from './rights-commands.js';
import { SERVE_COMMANDS } from './serve-commands.js';
import { STATS_COMMANDS } from './stats-commands.js';

export const COMMANDS: readonly CliCommand[] = [
  ...SERVE_COMMANDS,
  ...PROJECT_COMMANDS,
  ...IDENTITY_COMMANDS,
  ...LEDGER_COMMANDS,
  ...RETENTION_COMMANDS,
  ...BACKUP_COMMANDS,
  ...RIGHTS_COMMANDS,
  ...REQUEST_COMMANDS,
  ...POLICY_COMMANDS,
  ...STATS_COMMANDS,
];
