/**
 * Whether a new policy version may keep the consent given under the previous one (clause 7 of
 * the privacy policy: a substantial change is announced and users may refuse it). Whether a
 * change is substantial is not left to the operator's word alone: a version that widens what
 * is processed (a new purpose, another legal basis, tracking feeding a purpose that it did not,
 * new data categories or recipients, a longer retention, a weaker k-anonymity) is refused
 * unless it is marked substantial, naming each field that widened.
 */
import { approximateDurationMs, parseDuration } from './duration.js';
import { DATA_CLASSES, type PolicyDocument } from './schema.js';

/** The schema guarantees valid durations. */
const lengthOf = (text: string) => approximateDurationMs(parseDuration(text)!);

export interface PolicyChangeIssue {
  /** Dotted path in the new document. */
  readonly field: string;
  readonly message: string;
}

/**
 * Every way `next` widens `previous`, field by field.
 *
 * @example policyWidenings(DEFAULT_POLICY, { ...DEFAULT_POLICY, kAnonymity: 3 }) // [{ field: 'kAnonymity', ... }]
 */
export function policyWidenings(previous: PolicyDocument, next: PolicyDocument): PolicyChangeIssue[] {
  const issues: PolicyChangeIssue[] = [];
  next.purposes.forEach((purpose, index) => {
    const before = previous.purposes.find((candidate) => candidate.id === purpose.id);
    const field = `purposes.${index}`;
    if (!before) return issues.push({ field: `${field}.id`, message: `"${purpose.id}" is a new purpose` });
    if (before.basis !== purpose.basis) issues.push({ field: `${field}.basis`, message: `the legal basis of "${purpose.id}" changes from ${before.basis} to ${purpose.basis}` });
    if (!before.usageTracking && purpose.usageTracking) issues.push({ field: `${field}.usageTracking`, message: `usage tracking now feeds "${purpose.id}"` });
    const added = purpose.dataCategories.filter((category) => !before.dataCategories.includes(category));
    if (added.length > 0) issues.push({ field: `${field}.dataCategories`, message: `"${purpose.id}" processes more: ${added.join(', ')}` });
    return undefined;
  });
  const recipients = next.recipients.filter((recipient) => !previous.recipients.includes(recipient));
  if (recipients.length > 0) issues.push({ field: 'recipients', message: `new recipients: ${recipients.join(', ')}` });
  for (const dataClass of DATA_CLASSES) {
    if (lengthOf(next.retention[dataClass]) > lengthOf(previous.retention[dataClass])) {
      issues.push({ field: `retention.${dataClass}`, message: `${dataClass} is kept longer: ${previous.retention[dataClass]} -> ${next.retention[dataClass]}` });
    }
  }
  if (next.kAnonymity < previous.kAnonymity) issues.push({ field: 'kAnonymity', message: `statistics from fewer people: k ${previous.kAnonymity} -> ${next.kAnonymity}` });
  return issues;
}

/**
 * What keeps `next` from following `previous`: an older or equal version, a history that
 * forgets the previous version, or a widening change not marked substantial. Empty when it may.
 *
 * @example checkPolicyChange(previous, next) // [{ field: 'retention.rawEvents', message: '... (mark the version substantial)' }]
 */
export function checkPolicyChange(previous: PolicyDocument, next: PolicyDocument): PolicyChangeIssue[] {
  if (next.version === previous.version) return [];
  if (next.version < previous.version) return [{ field: 'version', message: `"${next.version}" is older than the version in force, "${previous.version}"` }];
  const issues: PolicyChangeIssue[] = [];
  if (!next.history.some((entry) => entry.version === previous.version)) {
    issues.push({ field: 'history', message: `the history must list the previous version "${previous.version}"` });
  }
  if (!next.substantial) {
    for (const widening of policyWidenings(previous, next)) issues.push({ ...widening, message: `${widening.message} (a widening change: mark the version substantial)` });
  }
  return issues;
}

/**
 * The date a version takes effect: its `effectiveDate`, else the date its version names.
 *
 * @example effectiveDateOf({ version: '2026-11-01.2' }) // '2026-11-01'
 */
export const effectiveDateOf = (policy: Pick<PolicyDocument, 'version' | 'effectiveDate'>): string => policy.effectiveDate ?? policy.version.slice(0, 10);
