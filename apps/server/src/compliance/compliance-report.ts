/**
 * The compliance report: the Art. 30 record of processing (from the policy in force),
 * followed by each right and principle with the tests that prove it, in Markdown.
 */
import { renderRecordOfProcessing, type PolicyDocument } from '@heed/policy';
import { EVIDENCE, type Principle } from './evidence.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function principleSection(principle: Principle): string {
  return [
    `### ${principle.title} (${principle.article})`,
    '',
    principle.how,
    '',
    '| test file | test |',
    '|---|---|',
    ...principle.proofs.map((proof) => `| \`${proof.file}\` | ${cell(proof.test)} |`),
  ].join('\n');
}

/**
 * @example console.log(renderComplianceReport(services.policy));
 */
export function renderComplianceReport(policy: PolicyDocument, evidence: readonly Principle[] = EVIDENCE): string {
  const proofs = evidence.reduce((n, principle) => n + principle.proofs.length, 0);
  return [
    renderRecordOfProcessing(policy).trimEnd(),
    '',
    '## Rights and principles, and the tests that prove them',
    '',
    `${evidence.length} rights and principles, ${proofs} tests. Run them with \`pnpm vitest run\`; each title below is checked to exist in its file.`,
    '',
    evidence.map(principleSection).join('\n\n'),
    '',
  ].join('\n');
}
