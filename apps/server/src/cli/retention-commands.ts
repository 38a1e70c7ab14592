/** `heed retention run`: one retention pass now, as the server runs it on its interval. */
import { runRetention } from '../retention/run-retention.js';
import { BOOLEAN, on, type CliCommand } from './command.js';

export const RETENTION_COMMANDS: readonly CliCommand[] = [
  {
    name: 'retention run',
    usage: '[--json]',
    summary: "delete what the policy's retention periods let go",
    flags: { json: BOOLEAN },
    async run({ flags, services }) {
      const report = await runRetention(services(), { onProgress: (dataClass, n) => process.stderr.write(`\r${dataClass}: ${n} deleted`) });
      process.stderr.write('\n');
      if (on(flags, 'json')) console.log(JSON.stringify(report));
      else for (const [dataClass, n] of Object.entries(report.deleted)) console.log(`${dataClass.padEnd(15)} ${String(n).padStart(8)} deleted (older than ${new Date(report.cutoffs[dataClass as keyof typeof report.cutoffs]).toISOString()})`);
      return 0;
    },
  },
];
