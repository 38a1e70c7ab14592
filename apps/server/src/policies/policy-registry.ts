/**
 * The policy in force for each project (issue "The record equals the code"): a server may host
 * several platforms, each its own controller, so a project can carry its own policy document;
 * the server's applies otherwise. Decisions, ingest, rights, statistics, retention and the
 * record of processing all ask here. A project's document is read from the archive by the hash
 * its row names, and cached briefly (a change reaches every process within `cacheMs`).
 */
import { createWireSchemas, policyDocumentSchema, type PolicyDocument, type WireSchemas } from '@heed/policy';
import { policyDigest } from '../load-policy.js';
import type { Store } from '../store/store.js';

/** A policy document with what every use of it needs. */
export interface ResolvedPolicy {
  readonly document: PolicyDocument;
  /** SHA-256 of its text, recorded with every ledger entry made under it. */
  readonly hash: string;
  /** The wire schemas for its ingest limits. */
  readonly schemas: WireSchemas;
  /** True when it is the project's own document, false for the server's. */
  readonly own: boolean;
}

export interface PolicyRegistry {
  /** The server's policy (`HEED_POLICY_FILE` or the built-in default). */
  readonly server: ResolvedPolicy;
  forProject(projectId: string): Promise<ResolvedPolicy>;
  /** Forgets the cached policy of a project (this process), after it changed. */
  invalidate(projectId: string): void;
}

/** @example resolvePolicy(DEFAULT_POLICY, false).hash // 64 hex characters */
export function resolvePolicy(document: PolicyDocument, own: boolean): ResolvedPolicy {
  return { document, hash: policyDigest(document), schemas: createWireSchemas(document.limits), own };
}

/**
 * @example const policies = createPolicyRegistry(store, loadPolicy(undefined), { now: Date.now, cacheMs: 5_000 });
 */
export function createPolicyRegistry(store: Pick<Store, 'findProject' | 'findPolicy'>, server: PolicyDocument, options: { now: () => number; cacheMs: number }): PolicyRegistry {
  const resolvedServer = resolvePolicy(server, false);
  const byHash = new Map<string, ResolvedPolicy>([[resolvedServer.hash, resolvedServer]]);
  const byProject = new Map<string, { policy: ResolvedPolicy; until: number }>();

  async function load(hash: string): Promise<ResolvedPolicy> {
    const known = byHash.get(hash);
    if (known) return known;
    const row = await store.findPolicy(hash);
    // A project names an archived text; one missing from the archive is a damaged database.
    if (!row) throw new Error(`policy ${hash} is named by a project but missing from the archive`);
    const policy = resolvePolicy(policyDocumentSchema.parse(JSON.parse(row.document)), true);
    if (byHash.size >= 1_000) byHash.clear();
    byHash.set(hash, policy);
    return policy;
  }

  return {
    server: resolvedServer,
    async forProject(projectId) {
      const now = options.now();
      const cached = byProject.get(projectId);
      if (cached && cached.until > now) return cached.policy;
      const hash = (await store.findProject(projectId))?.policyHash ?? null;
      const policy = hash === null ? resolvedServer : await load(hash);
      if (byProject.size >= 10_000) byProject.clear();
      byProject.set(projectId, { policy, until: now + options.cacheMs });
      return policy;
    },
    invalidate: (projectId) => void byProject.delete(projectId),
  };
}
