/**
 * Renders the policy document as a record of processing activities (GDPR Art. 30(1)) in
 * Markdown: what a supervisory authority may ask for, derived from the same document the
 * server enforces, so the record cannot drift from the behaviour.
 */
import type { PolicyDocument } from '../document/schema.js';

const BASIS_TEXT: Record<PolicyDocument['purposes'][number]['basis'], string> = {
  consent: 'Consent, Art. 6(1)(a)',
  contract: 'Performance of a contract, Art. 6(1)(b)',
  legal_obligation: 'Legal obligation, Art. 6(1)(c)',
  legitimate_interest: 'Legitimate interest, Art. 6(1)(f)',
};

const DATA_CLASS_TEXT: Record<keyof PolicyDocument['retention'], string> = {
  rawEvents: 'Raw usage events (pseudonymous)',
  activity: 'Per-session and per-subject activity rows (pseudonymous)',
  aggregates: 'Hourly and daily aggregates (k-anonymised on read)',
  consentProof: 'Consent ledger (proof of consent, Art. 7(1))',
  rightsRequests: 'Rights-request log (Art. 12)',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * @example renderRecordOfProcessing(DEFAULT_POLICY).startsWith('# Record of processing activities') // true
 */
export function renderRecordOfProcessing(policy: PolicyDocument): string {
  const lines: string[] = [];
  const { controller } = policy;
  lines.push(`# Record of processing activities (GDPR Art. 30)`, '');
  lines.push(`Policy version **${policy.version}**${policy.substantial ? ' (substantial change: consent is asked again)' : ''}.`, '');
  lines.push('## Controller', '');
  lines.push(`- Name: ${controller.name}`);
  lines.push(`- Address: ${controller.address}`);
  lines.push(`- Registration: ${controller.registration}`);
  lines.push(`- Contact for data protection: ${controller.contact}`);
  lines.push(`- Supervisory authority: ${controller.supervisoryAuthority}`, '');
  lines.push('## Purposes and legal bases', '');
  lines.push('| purpose | legal basis | fed by usage tracking | categories of data | description |');
  lines.push('|---|---|---|---|---|');
  for (const purpose of policy.purposes) {
    lines.push(
      `| ${cell(purpose.title.en)} (\`${purpose.id}\`) | ${BASIS_TEXT[purpose.basis]} | ${purpose.usageTracking ? 'yes' : 'no'} | ${cell(purpose.dataCategories.join(', '))} | ${cell(purpose.description.en)} |`,
    );
  }
  lines.push('', '## Categories of data subjects', '', '- Users of the platform who consented to at least one purpose', '');
  lines.push('## Recipients', '');
  for (const recipient of policy.recipients) lines.push(`- ${recipient}`);
  lines.push('', '## Transfers to third countries', '', '- None', '');
  lines.push('## Retention', '');
  lines.push('| data class | kept for (ISO 8601) |', '|---|---|');
  for (const [dataClass, period] of Object.entries(policy.retention) as [keyof PolicyDocument['retention'], string][]) {
    lines.push(`| ${DATA_CLASS_TEXT[dataClass]} | ${period} |`);
  }
  lines.push('', '## Technical and organisational security measures (Art. 32)', '');
  for (const measure of policy.securityMeasures) lines.push(`- ${measure}`);
  lines.push(`- statistics shown only when computed from at least ${policy.kAnonymity} distinct subjects`, '');
  return lines.join('\n');
}
