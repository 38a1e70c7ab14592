/**
 * Putting a policy in force: the server's at start, a project's own when staff set it. Each
 * text is archived by its SHA-256 (the wording a user agreed to stays servable, and every
 * ledger entry names it), and a new version that widens what is processed without being
 * marked substantial is refused, naming each field (`checkPolicyChange` of `@heed/policy`).
 */
import { checkPolicyChange, describeIssues, policyDocumentSchema, type PolicyChangeIssue, type PolicyDocument } from '@heed/policy';
import type { Clock } from '../clock.js';
import { ConfigError } from '../config.js';
import { DomainError } from '../errors/domain-error.js';
import type { Actor, Store } from '../store/store.js';
import { resolvePolicy, type PolicyRegistry } from './policy-registry.js';

/** Thrown at start when the server's policy may not follow the one archived last: the server does not start. */
export class PolicyChangeRefused extends ConfigError {
  constructor(readonly issues: readonly PolicyChangeIssue[]) {
    super(`the policy may not follow the one in force:\n  ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('\n  ')}`);
    this.name = 'PolicyChangeRefused';
  }
}

/** The newest archived text of a line ('' for the server's) other than `hash`. */
async function previousOf(store: Pick<Store, 'policyVersions'>, projectId: string, hash: string): Promise<PolicyDocument | undefined> {
  const previous = (await store.policyVersions(projectId)).find((row) => row.hash !== hash);
  return previous && policyDocumentSchema.parse(JSON.parse(previous.document));
}

/**
 * Archives the server's policy at start; refuses (throws `PolicyChangeRefused`) one that may
 * not follow the last one archived.
 *
 * @example await archiveServerPolicy({ store, policies, clock })
 */
export async function archiveServerPolicy(services: { store: Store; policies: PolicyRegistry; clock: Clock }): Promise<void> {
  const { document, hash } = services.policies.server;
  const previous = await previousOf(services.store, '', hash);
  const issues = previous ? checkPolicyChange(previous, document) : [];
  if (issues.length > 0) throw new PolicyChangeRefused(issues);
  await services.store.archivePolicy({ hash, projectId: '', version: document.version, document: JSON.stringify(document), archivedAt: services.clock.now() });
}

/**
 * Gives a project its own policy document (a controller of its own), or with null the server's
 * again. Validated by the policy schema, checked against the project's policy in force, archived,
 * and recorded in the consent ledger with who did it.
 *
 * @example await setProjectPolicy(services, 'p_acme', JSON.parse(text), { channel: 'staff', auth: 'operator_cli' })
 */
export async function setProjectPolicy(
  services: { store: Store; policies: PolicyRegistry; clock: Clock },
  projectId: string,
  input: unknown,
  actor: Actor,
): Promise<{ version: string; hash: string }> {
  const parsed = policyDocumentSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('validation', { detail: 'The policy document is not valid; see errors.', errors: describeIssues(parsed.error) });
  const next = resolvePolicy(parsed.data, true);
  const current = await services.policies.forProject(projectId);
  // A project's first own document starts a line of its own (another controller's versions):
  // consent given under the server's policy does not count under it (its versions are not in
  // the new history), so everyone is asked again, as after a substantial change.
  const issues = current.own ? checkPolicyChange(current.document, next.document) : [];
  if (issues.length > 0) throw new DomainError('unprocessable', { detail: 'This version may not follow the policy in force; see errors.', errors: issues });
  const now = services.clock.now();
  await services.store.archivePolicy({ hash: next.hash, projectId, version: next.document.version, document: JSON.stringify(next.document), archivedAt: now });
  if (!(await services.store.setProjectPolicy(projectId, next.hash))) throw new DomainError('not_found', { detail: 'No such project.' });
  services.policies.invalidate(projectId);
  await services.store.appendLedger({
    projectId, pseudonym: '', action: 'policy_set', policyVersion: next.document.version, policyHash: next.hash,
    detail: { version: next.document.version, substantial: next.document.substantial, previous: current.document.version }, at: now, actor,
  });
  return { version: next.document.version, hash: next.hash };
}
