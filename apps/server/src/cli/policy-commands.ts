/**
 * `heed policy record` and `heed compliance`: the policy in force as an Art. 30 record, and
 * that record followed by each right and principle with the tests that prove it. They read
 * the policy file only: no store is opened.
 */
import { renderRecordOfProcessing } from '@heed/policy';
import { renderComplianceReport } from '../compliance/compliance-report.js';
import { loadPolicy } from '../load-policy.js';
import type { CliCommand } from './command.js';

export const POLICY_COMMANDS: readonly CliCommand[] = [
  {
    name: 'policy record',
    summary: 'the policy as an Art. 30 record (Markdown)',
    async run({ config }) {
      console.log(renderRecordOfProcessing(loadPolicy(config.policyFile)));
      return 0;
    },
  },
  {
    name: 'compliance',
    summary: 'the Art. 30 record, then each right and principle with the tests that prove it',
    async run({ config }) {
      console.log(renderComplianceReport(loadPolicy(config.policyFile)));
      return 0;
    },
  },
];
