/**
 * `heed --help`, written from the command table: each command's words, usage and summary on
 * one line (the summary in a column of its own), then the environment the server reads.
 */
import type { CliCommand } from './command.js';

const SUMMARY_COLUMN = 60;

const ENVIRONMENT = `Environment: HEED_PORT, HEED_HOST, HEED_DATA_DIR, HEED_DATABASE_URL, HEED_POLICY_FILE,
HEED_PSEUDONYM_KEY, HEED_LEDGER_KEY, HEED_IDENTITY_KEY (keys kept apart from the database; unset,
key files in the data directory), HEED_IDENTITY_MAX_TTL_MS, HEED_CONSENT_PER_SUBJECT_PER_MINUTE,
HEED_IDENTITY_FAILURES_PER_MINUTE, HEED_PUBLIC_URL, HEED_CORS_ORIGINS, HEED_INGEST_ORIGINS,
HEED_BODY_LIMIT, HEED_RATE_PER_SECOND, HEED_RATE_BURST, HEED_METRICS_TOKEN (bearer for /metrics;
unset, loopback clients only). docs/operations.md explains each.`;

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
  return `usage: heed <command> [options]\n\n${commands.map(helpLine).join('\n')}\n\n${ENVIRONMENT}`;
}
