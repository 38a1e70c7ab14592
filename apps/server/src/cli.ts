#!/usr/bin/env node
/**
 * `heed`: the server's command line. The commands are the table in `cli/commands.ts` (one
 * file per group beside it); this entry runs the table and turns the outcome into an exit
 * code: 2 for a usage or configuration error, 1 for any other failure.
 */
import { runCli } from './cli/run-cli.js';
import { ConfigError } from './config.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`heed: ${error.message}`);
    else console.error('heed: failed:', error);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
