/**
 * Runs one `heed` command line against the command table: parses the flags of every
 * command at once (an unknown flag is an error), picks the command by its words, loads the
 * configuration, and closes the store after the command if it opened one.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { buildServices } from '../server.js';
import type { Services } from '../services.js';
import { STRING, text, type CliCommand, type FlagSpec, type Flags } from './command.js';
import { COMMANDS } from './commands.js';
import { helpText } from './help.js';

/** Flags every command takes: help, and where the configuration comes from. */
const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  help: { type: 'boolean', short: 'h' },
  port: STRING, host: STRING, db: STRING, 'data-dir': STRING, policy: STRING,
};

/** Every flag of the table; a flag that two commands declare must mean the same to both. */
export function tableFlags(commands: readonly CliCommand[]): Record<string, FlagSpec> {
  const flags: Record<string, FlagSpec> = { ...GLOBAL_FLAGS };
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.flags ?? {})) {
      const known = flags[name];
      if (known && (known.type !== spec.type || known.short !== spec.short)) throw new Error(`heed: --${name} of ${command.name} differs from another command's`);
      flags[name] = spec;
    }
  }
  return flags;
}

/** The command named by the first one or two words, and the words after its name. */
function findCommand(commands: readonly CliCommand[], words: readonly string[]): { command: CliCommand; args: readonly string[] } | undefined {
  for (const length of [2, 1]) {
    if (length > words.length) continue;
    const command = commands.find((entry) => entry.name === words.slice(0, length).join(' '));
    if (command) return { command, args: words.slice(length) };
  }
  return undefined;
}

/**
 * @example process.exitCode = await runCli(['keys', 'list', '--project', 'p_1'])
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: tableFlags(commands) });
  const flags: Flags = values;
  const help = helpText(commands);
  if (flags.help === true || positionals.length === 0) {
    console.log(help);
    return positionals.length === 0 && flags.help !== true ? 2 : 0;
  }
  const config = loadConfig(process.env, { port: text(flags, 'port'), host: text(flags, 'host'), db: text(flags, 'db'), 'data-dir': text(flags, 'data-dir'), policy: text(flags, 'policy') });
  const found = findCommand(commands, positionals);
  if (!found) {
    console.error(`unknown command: ${positionals[0]} ${positionals[1] ?? ''}\n\n${help}`);
    return 2;
  }
  let services: Services | undefined;
  try {
    // A command's stdout is its answer (`--json` is one JSON document): the store's log lines go to stderr.
    const logger = createLogger({ level: config.logLevel, sink: (line) => process.stderr.write(`${line}\n`) });
    return await found.command.run({ flags, args: found.args, config, services: () => (services ??= buildServices(config, { logger })) });
  } finally {
    await services?.store.close();
  }
}
