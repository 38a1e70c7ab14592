/**
 * Projects and their keys: a public write key (append only), and secret analyst and admin
 * keys shown once and stored as digests.
 */
import { customAlphabet } from 'nanoid';
import { issueKey } from '../crypto/api-keys.js';
import type { KeyKind, KeyRow, Store } from '../store/store.js';

const projectId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

export interface CreatedProject {
  readonly projectId: string;
  readonly writeKey: string;
  readonly analystKey: string;
  readonly adminKey: string;
}

/**
 * @example const { projectId, writeKey } = await createProject(store, { name: 'Demo', now: Date.now() });
 */
export async function createProject(store: Store, input: { name: string; now: number }): Promise<CreatedProject> {
  const id = `p_${projectId()}`;
  await store.createProject({ id, name: input.name, createdAt: input.now });
  const keys: Record<KeyKind, string> = { write: '', analyst: '', admin: '' };
  for (const kind of ['write', 'analyst', 'admin'] as const) {
    keys[kind] = (await createKey(store, { projectId: id, kind, label: 'initial', now: input.now })).key;
  }
  return { projectId: id, writeKey: keys.write, analystKey: keys.analyst, adminKey: keys.admin };
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
