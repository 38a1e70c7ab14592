/**
 * What staff do about a project's identity verification: read its state (mode, secrets, what
 * `report` mode counted), switch the mode, and rotate the identity secret with an overlap
 * period (the previous secret keeps verifying until it ends, so platform backends can move to
 * the new one without a gap). Mode changes and rotations are security decisions: each is
 * recorded in the consent ledger with who made it.
 */
import { DAY_MS } from '../aggregates/time-units.js';
import type { Clock } from '../clock.js';
import type { KeyRing } from '../crypto/key-ring.js';
import { DomainError } from '../errors/domain-error.js';
import type { Actor, IdentityMode, Store } from '../store/store.js';
import type { PolicyRegistry } from '../policies/policy-registry.js';
import type { IdentityCheck } from './identity-check.js';
import { newIdentitySecret } from './identity-secret.js';

/** What staff's identity work needs (a part of the server's services). */
export interface IdentityAdminDeps {
  readonly store: Store;
  readonly policies: PolicyRegistry;
  readonly clock: Clock;
  readonly identityKeys: KeyRing;
  readonly identity: Pick<IdentityCheck, 'invalidate'>;
}

/** How long a rotated-out secret keeps verifying, unless the rotation says otherwise. */
export const DEFAULT_OVERLAP_MS = 7 * DAY_MS;
/** The window of the report's counts. */
const REPORT_DAYS = 30;

async function record(services: IdentityAdminDeps, projectId: string, action: string, detail: Record<string, unknown>, actor: Actor) {
  const policy = await services.policies.forProject(projectId);
  await services.store.appendLedger({
    projectId, pseudonym: '', action, policyVersion: policy.document.version, policyHash: policy.hash, detail, at: services.clock.now(), actor,
  });
}

/**
 * @example await identityStatus(services, 'p_acme') // { mode: 'report', secrets: [...], unverified: { total: 12, byFailure: { missing: 12 } } }
 */
export async function identityStatus(services: IdentityAdminDeps, projectId: string) {
  const project = await services.store.findProject(projectId);
  if (!project) throw new DomainError('not_found', { detail: 'No such project.' });
  const now = services.clock.now();
  const since = Math.floor(now / DAY_MS) * DAY_MS - (REPORT_DAYS - 1) * DAY_MS;
  const rows = await services.store.dailyCounters(projectId, 'identity_unverified:', since);
  const byFailure: Record<string, number> = {};
  for (const row of rows) {
    const failure = row.reason.slice('identity_unverified:'.length);
    byFailure[failure] = (byFailure[failure] ?? 0) + row.count;
  }
  const secrets = (await services.store.listIdentitySecrets(projectId)).map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    live: row.expiresAt === null || row.expiresAt > now,
  }));
  return {
    projectId,
    mode: project.identityMode,
    secrets,
    /** Events and decisions accepted without a valid proof (report mode), last 30 days: what `enforce` would refuse. */
    unverified: { days: REPORT_DAYS, total: Object.values(byFailure).reduce((a, b) => a + b, 0), byFailure },
  };
}

/**
 * @example await setIdentityMode(services, 'p_acme', 'enforce', actor)
 */
export async function setIdentityMode(services: IdentityAdminDeps, projectId: string, mode: IdentityMode, actor: Actor) {
  if (!(await services.store.setIdentityMode(projectId, mode))) throw new DomainError('not_found', { detail: 'No such project.' });
  services.identity.invalidate(projectId);
  await record(services, projectId, 'identity_mode', { mode }, actor);
  return { projectId, mode };
}

/**
 * A new identity secret (shown once); the others keep verifying for `overlapMs`.
 *
 * @example const { secret } = await rotateIdentitySecret(services, 'p_acme', DEFAULT_OVERLAP_MS, actor)
 */
export async function rotateIdentitySecret(services: IdentityAdminDeps, projectId: string, overlapMs: number, actor: Actor) {
  if (!(await services.store.findProject(projectId))) throw new DomainError('not_found', { detail: 'No such project.' });
  const now = services.clock.now();
  const { row, secret } = newIdentitySecret(services.identityKeys, projectId, now);
  await services.store.insertIdentitySecret(row);
  const previousUntil = now + overlapMs;
  const expired = await services.store.expireIdentitySecrets(projectId, row.id, previousUntil);
  await record(services, projectId, 'identity_secret_rotated', { secretId: row.id, previousUntil, previous: expired }, actor);
  return { id: row.id, secret, previousSecretsValidUntil: expired > 0 ? previousUntil : null };
}
