/**
 * `heed policy init|check|set|record` and `heed compliance`: a policy document for a new
 * controller, checking one (and that it may follow the one in force), giving a project its own,
 * and the policy in force as an Art. 30 record, followed by each right and principle with the
 * tests that prove it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkPolicyChange, describeIssues, placeholdersIn, policyDocumentSchema, policyTemplate, renderRecordOfProcessing, type PolicyDocument } from '@heed/policy';
import { renderComplianceReport } from '../compliance/compliance-report.js';
import { ConfigError } from '../config.js';
import { loadPolicy } from '../load-policy.js';
import { setProjectPolicy } from '../policies/policy-archive.js';
import { STRING, text, type CliCommand, type CommandContext } from './command.js';
import { OPERATOR } from './rights-commands.js';

const readJson = (file: string): unknown => {
  if (!existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError(`${file}: not JSON (${(error as Error).message})`);
  }
};

/** The policy a command reports on: a project's own (`--project`), else the server's. */
async function policyOf(context: CommandContext): Promise<PolicyDocument> {
  const project = text(context.flags, 'project');
  if (project === undefined) return loadPolicy(context.config.policyFile);
  return (await context.services().policies.forProject(project)).document;
}

export const POLICY_COMMANDS: readonly CliCommand[] = [
  {
    name: 'policy init',
    usage: '[--out FILE]',
    summary: 'a starting policy document for a new controller (replace every REPLACE: field)',
    flags: { out: STRING },
    async run({ flags }) {
      const document = `${JSON.stringify(policyTemplate(new Date().toISOString().slice(0, 10)), null, 2)}\n`;
      const out = text(flags, 'out');
      if (out === undefined) process.stdout.write(document);
      else {
        if (existsSync(out)) throw new ConfigError(`${out} exists: name another file`);
        writeFileSync(out, document);
        console.log(`wrote ${out}: replace every "REPLACE:" field, then check it with heed policy check ${out}`);
      }
      return 0;
    },
  },
  {
    name: 'policy check',
    usage: 'FILE [--previous FILE]',
    summary: 'validate a policy document (and that it may follow the previous version)',
    flags: { previous: STRING },
    async run({ args, flags }) {
      const [file] = args;
      if (file === undefined) throw new ConfigError('policy check needs the FILE to check');
      const parsed = policyDocumentSchema.safeParse(readJson(file));
      if (!parsed.success) {
        for (const issue of describeIssues(parsed.error)) console.log(`${issue.field || '(document)'}: ${issue.message}`);
        return 1;
      }
      const previousFile = text(flags, 'previous');
      const previous = previousFile === undefined ? undefined : policyDocumentSchema.parse(readJson(previousFile));
      const problems = [
        ...(previous ? checkPolicyChange(previous, parsed.data) : []),
        ...placeholdersIn(parsed.data).map((field) => ({ field, message: 'still the template\'s placeholder' })),
      ];
      for (const problem of problems) console.log(`${problem.field}: ${problem.message}`);
      if (problems.length === 0) console.log(`${file}: a valid policy, version ${parsed.data.version}${previous ? `, may follow ${previous.version}` : ''}`);
      return problems.length === 0 ? 0 : 1;
    },
  },
  {
    name: 'policy set',
    usage: '--project ID FILE',
    summary: 'give a project its own policy (another controller); recorded in the ledger',
    flags: { project: STRING },
    async run({ args, flags, services }) {
      const [file] = args;
      const project = text(flags, 'project');
      if (file === undefined || project === undefined) throw new ConfigError('policy set needs --project ID and the FILE');
      const document = readJson(file);
      const placeholders = placeholdersIn(document);
      if (placeholders.length > 0) throw new ConfigError(`${file} still has the template's placeholders: ${placeholders.join(', ')}`);
      const set = await setProjectPolicy(services(), project, document, OPERATOR);
      console.log(`project ${project}: policy ${set.version} in force (${set.hash})`);
      return 0;
    },
  },
  {
    name: 'policy record',
    usage: '[--project ID]',
    summary: 'the policy as an Art. 30 record (Markdown)',
    flags: { project: STRING },
    async run(context) {
      console.log(renderRecordOfProcessing(await policyOf(context)));
      return 0;
    },
  },
  {
    name: 'compliance',
    usage: '[--project ID]',
    summary: 'the Art. 30 record, then each right and principle with the tests that prove it',
    flags: { project: STRING },
    async run(context) {
      console.log(renderComplianceReport(await policyOf(context)));
      return 0;
    },
  },
];
