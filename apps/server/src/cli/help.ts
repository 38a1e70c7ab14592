/**
 * `heed --help`, written from the command table: each command's words, usage and summary on
 * one line (the summary in a column of its own), then the environment the server reads.
 */
import { CONFIG_VARIABLES } from '../config.js';
import type { CliCommand } from './command.js';

const SUMMARY_COLUMN = 60;

/** The variables, wrapped as the help's other lines are. */
function environment(): string {
  const lines: string[] = [];
  let line = 'Environment:';
  for (const name of CONFIG_VARIABLES) {
    if (line.length + name.length + 2 > 100) {
      lines.push(`${line},`);
      line = name;
    } else line = line === 'Environment:' ? `${line} ${name}` : `${line}, ${name}`;
  }
  lines.push(`${line}.`);
  return `${lines.join('\n')}\nKeys are kept apart from the database (unset, key files in the data directory). docs/operations.md explains each.`;
}

function helpLine(command: CliCommand): string {
  const left = `  ${command.name}${command.usage ? ` ${command.usage}` : ''}`;
  if (!command.summary) return left;
  // A long usage keeps its summary on the next line, in the same column.
  return left.length < SUMMARY_COLUMN ? `${left.padEnd(SUMMARY_COLUMN)}${command.summary}` : `${left}\n${' '.repeat(SUMMARY_COLUMN)}${command.summary}`;
}

/**
 * @example helpText([{ name: 'migrate', summary: 'apply migrations and exit', run }]) // 'usage: heed <command> [options]\n\n  migrate   ...'
 */
export function helpText(commands: readonly CliCommand[]): string {
  return `usage: heed <command> [options]\n\n${commands.map(helpLine).join('\n')}\n\n${environment()}`;
}
