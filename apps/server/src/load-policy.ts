/**
 * The policy in force: the built-in default, or the document named by `HEED_POLICY_FILE`,
 * validated by the policy schema. A document that fails names its failing fields and the
 * server does not start.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY, describeIssues, policyDocumentSchema, type PolicyDocument } from '@heed/policy';
import { ConfigError } from './config.js';

export function loadPolicy(file: string | undefined): PolicyDocument {
  if (file === undefined) return DEFAULT_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`HEED_POLICY_FILE ${file}: cannot read it as JSON (${(error as Error).message})`);
  }
  const parsed = policyDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = describeIssues(parsed.error).map((issue) => `${issue.field || '(document)'}: ${issue.message}`);
    throw new ConfigError(`HEED_POLICY_FILE ${file} is not a valid policy document:\n  ${fields.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * SHA-256 (hex) of the policy document as `GET /v1/policy` serves it: what a ledger entry
 * records of the text the decision was made under.
 *
 * @example policyDigest(DEFAULT_POLICY) // 64 hex characters
 */
export function policyDigest(policy: PolicyDocument): string {
  return createHash('sha256').update(JSON.stringify(policy)).digest('hex');
}
