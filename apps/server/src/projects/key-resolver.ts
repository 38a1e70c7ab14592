/**
 * Presented key -> project, checked in constant time, with a short cache so the ingest hot
 * path does not read the keys table for every batch. A revocation takes effect within
 * `ttlMs` (5 s by default) in every process.
 */
import { keyMatches, parseKey } from '../crypto/api-keys.js';
import { DomainError } from '../errors/domain-error.js';
import type { KeyKind, Store } from '../store/store.js';

/** Whose key it is: the project, and the key's id (the ledger names the key staff acted with). */
export interface KeyHolder {
  readonly projectId: string;
  readonly keyId: string;
}

export interface KeyResolver {
  /** The holder of a live key of this kind, or undefined for an unknown, revoked or wrong-kind key. */
  lookup(key: string, kind: KeyKind): Promise<KeyHolder | undefined>;
  /** The project the key belongs to; throws `unauthorized` for an unknown, revoked or wrong-kind key. */
  resolve(key: string | undefined, kind: KeyKind): Promise<string>;
}

const MAX_CACHED = 10_000;

export function createKeyResolver(store: Store, options: { ttlMs: number; now: () => number }): KeyResolver {
  const cache = new Map<string, KeyHolder & { kind: KeyKind; expires: number }>();
  async function lookup(key: string, kind: KeyKind): Promise<KeyHolder | undefined> {
    const now = options.now();
    const cached = cache.get(key);
    if (cached && cached.expires > now) return cached.kind === kind ? cached : undefined;
    const claimed = parseKey(key);
    if (!claimed || claimed.kind !== kind) return undefined;
    const row = await store.findKey(claimed.id);
    if (!row || row.kind !== kind || !keyMatches(key, row.hash)) return undefined;
    if (cache.size >= MAX_CACHED) cache.clear();
    const holder = { projectId: row.projectId, keyId: row.id };
    cache.set(key, { ...holder, kind, expires: now + options.ttlMs });
    return holder;
  }
  return {
    lookup,
    async resolve(key, kind) {
      const holder = key === undefined ? undefined : await lookup(key, kind);
      if (!holder) throw new DomainError('unauthorized', { detail: `Present a valid ${kind} key for this project.` });
      return holder.projectId;
    },
  };
}
