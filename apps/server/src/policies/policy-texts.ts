/**
 * The policy texts anyone may read: the one in force (for a project, or the server's) and
 * every archived version, by its version and, where a version's wording changed, by the hash a
 * ledger entry names: the text a user agreed to stays servable.
 */
import { policyDocumentSchema, type PolicyDocument } from '@heed/policy';
import { DomainError } from '../errors/domain-error.js';
import type { Store } from '../store/store.js';
import type { PolicyRegistry } from './policy-registry.js';

interface Deps {
  readonly store: Pick<Store, 'findProject' | 'policyVersions'>;
  readonly policies: PolicyRegistry;
}

const noProject = () => new DomainError('not_found', { detail: 'No such project.' });

/** @example await policyInForce(services, 'p_acme') // the project's own policy, or the server's */
export async function policyInForce(services: Deps, projectId: string | undefined): Promise<PolicyDocument> {
  if (projectId === undefined) return services.policies.server.document;
  if (!(await services.store.findProject(projectId))) throw noProject();
  return (await services.policies.forProject(projectId)).document;
}

/**
 * An archived text: the newest archived for this version, or the one whose SHA-256 is `hash`.
 *
 * @example await archivedPolicy(services, undefined, '2026-11-01') // { hash, archivedAt, document }
 */
export async function archivedPolicy(services: Deps, projectId: string | undefined, version: string, hash?: string) {
  let line = '';
  if (projectId !== undefined) {
    const project = await services.store.findProject(projectId);
    if (!project) throw noProject();
    line = project.policyHash === null ? '' : projectId;
  }
  const rows = await services.store.policyVersions(line, version);
  const row = hash === undefined ? rows[0] : rows.find((candidate) => candidate.hash === hash);
  if (!row) throw new DomainError('not_found', { detail: `No archived text of policy version ${version}${hash ? ` with hash ${hash}` : ''}.` });
  return { version: row.version, hash: row.hash, archivedAt: new Date(row.archivedAt).toISOString(), document: policyDocumentSchema.parse(JSON.parse(row.document)) };
}
