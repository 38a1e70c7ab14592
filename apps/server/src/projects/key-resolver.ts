/**
 * Presented key -> project, checked in constant time, with a short cache so the ingest hot
 * path does not read the keys table for every batch. A revocation takes effect within
 * `ttlMs` (5 s by default) in every process.
 */
import { keyMatches, parseKey } from '../crypto/api-keys.js';
import { HttpProblem } from '../http/problem.js';
import type { KeyKind, Store } from '../store/store.js';

export interface KeyResolver {
  /** The project the key belongs to; throws a 401 problem for an unknown, revoked or wrong-kind key. */
  resolve(key: string | undefined, kind: KeyKind): Promise<string>;
}

const MAX_CACHED = 10_000;

export function createKeyResolver(store: Store, options: { ttlMs: number; now: () => number }): KeyResolver {
  const cache = new Map<string, { projectId: string; kind: KeyKind; expires: number }>();
  const refuse = (kind: KeyKind) =>
    new HttpProblem('unauthorized', { detail: `Present a valid ${kind} key for this project.` });

  return {
    async resolve(key, kind) {
      if (key === undefined) throw refuse(kind);
      const now = options.now();
      const cached = cache.get(key);
      if (cached && cached.expires > now) {
        if (cached.kind !== kind) throw refuse(kind);
        return cached.projectId;
      }
      const claimed = parseKey(key);
      if (!claimed || claimed.kind !== kind) throw refuse(kind);
      const row = await store.findKey(claimed.id);
      if (!row || row.kind !== kind || !keyMatches(key, row.hash)) throw refuse(kind);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, { projectId: row.projectId, kind, expires: now + options.ttlMs });
      return row.projectId;
    },
  };
}
