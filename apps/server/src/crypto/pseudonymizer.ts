/**
 * Client hash -> stored pseudonym, with a keyed HMAC whose secret lives apart from the
 * database (DESIGN.md, "Pseudonymisation"): whoever copies the database cannot recompute a
 * pseudonym from a user id without the key. Every key has an id, stored with each subject, so
 * a new key can be introduced while old pseudonyms still resolve.
 */
import { createHmac } from 'node:crypto';
import type { KeyRing, RingKey } from './key-ring.js';

export interface Pseudonymizer {
  /** The id of the key new pseudonyms are made with. */
  readonly currentKeyId: string;
  /** The pseudonym under the current key. */
  pseudonym(projectId: string, clientHash: string): string;
  /** The pseudonym under every known key, current first: what lookups must try. */
  candidates(projectId: string, clientHash: string): { keyId: string; pseudonym: string }[];
}

/**
 * @example createPseudonymizer(keyRing([{ id: 'k1', secret: randomBytes(32) }])).pseudonym('proj', 'hash')
 */
export function createPseudonymizer(ring: KeyRing): Pseudonymizer {
  const mac = (key: RingKey, projectId: string, clientHash: string) =>
    createHmac('sha256', key.secret).update(`${projectId}:${clientHash}`).digest('base64url');
  return {
    currentKeyId: ring.current.id,
    pseudonym: (projectId, clientHash) => mac(ring.current, projectId, clientHash),
    candidates: (projectId, clientHash) => ring.keys.map((key) => ({ keyId: key.id, pseudonym: mac(key, projectId, clientHash) })),
  };
}
