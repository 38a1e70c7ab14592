/**
 * Projects and their credentials: a public write key (append only), secret analyst, admin and
 * backend keys stored as digests, and an identity secret (stored as a salt: see
 * identity/identity-secret.ts), all shown once. A new project enforces identity verification.
 */
import { customAlphabet } from 'nanoid';
import { issueKey } from '../crypto/api-keys.js';
import type { KeyRing } from '../crypto/key-ring.js';
import { newIdentitySecret } from '../identity/identity-secret.js';
import type { KeyKind, KeyRow, Store } from '../store/store.js';

const projectId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

export interface CreatedProject {
  readonly projectId: string;
  readonly writeKey: string;
  readonly analystKey: string;
  readonly adminKey: string;
  /** For the platform's backend: minting subject tokens and privacy links server-to-server. */
  readonly backendKey: string;
  /** For the platform's backend: signing identity assertions (`signIdentity` in `@heed/sdk/node`). */
  readonly identitySecret: string;
}

/**
 * @example const { projectId, writeKey, identitySecret } = await createProject(store, identityKeys, { name: 'Demo', now: Date.now() });
 */
export async function createProject(store: Store, identityKeys: KeyRing, input: { name: string; now: number }): Promise<CreatedProject> {
  const id = `p_${projectId()}`;
  await store.createProject({ id, name: input.name, createdAt: input.now, identityMode: 'enforce' });
  const keys: Record<KeyKind, string> = { write: '', analyst: '', admin: '', backend: '' };
  for (const kind of ['write', 'analyst', 'admin', 'backend'] as const) {
    keys[kind] = (await createKey(store, { projectId: id, kind, label: 'initial', now: input.now })).key;
  }
  const { row, secret } = newIdentitySecret(identityKeys, id, input.now);
  await store.insertIdentitySecret(row);
  return { projectId: id, writeKey: keys.write, analystKey: keys.analyst, adminKey: keys.admin, backendKey: keys.backend, identitySecret: secret };
}

export async function createKey(
  store: Store,
  input: { projectId: string; kind: KeyKind; label: string; now: number },
): Promise<{ key: string; row: KeyRow }> {
  const issued = issueKey(input.kind);
  const row: KeyRow = { id: issued.id, projectId: input.projectId, kind: input.kind, label: input.label, createdAt: input.now, revokedAt: null };
  await store.insertKey({ ...row, hash: issued.hash });
  return { key: issued.key, row };
}
