/**
 * Who vouches for a subject hash: an identity assertion signed with one of the project's
 * identity secrets (identified subjects), or the device's random anonymous id whose hash the
 * server derives itself (anonymous subjects). Nothing the client merely says counts: a hash
 * with neither a valid signature nor its anonymous preimage is unverified.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { anonymousIdSchema, assertionMessage, parseAssertion, type SubjectProof } from '@heed/policy';
import { anonymousHash } from '../crypto/client-hash.js';
import type { KeyRing } from '../crypto/key-ring.js';
import type { IdentitySecretRow, Store } from '../store/store.js';
import { deriveIdentitySecret } from './identity-secret.js';

/** Why a proof did not verify; each maps to one problem (identity/enforcement.ts). */
export const IDENTITY_FAILURES = ['missing', 'malformed', 'expired', 'too_long', 'unknown_secret', 'wrong_project', 'mismatch', 'anonymous_mismatch'] as const;
export type IdentityFailure = (typeof IDENTITY_FAILURES)[number];

export type ProofOutcome =
  | { readonly verified: true; readonly kind: 'signed'; readonly secretId: string }
  | { readonly verified: true; readonly kind: 'anonymous' }
  | { readonly verified: false; readonly failure: IdentityFailure };

export interface ProofVerifier {
  verify(projectId: string, subjectHash: string, proof: SubjectProof | undefined): Promise<ProofOutcome>;
}

export interface ProofVerifierOptions {
  readonly store: Pick<Store, 'findIdentitySecret'>;
  /** The identity master keys (secrets are derived from them). */
  readonly ring: KeyRing;
  readonly now: () => number;
  /** The longest an assertion may claim to live: a backend cannot sign forever. */
  readonly maxTtlMs: number;
  /** How long a secret row is cached: a rotation's end reaches every process within it. */
  readonly cacheMs: number;
}

const MAX_CACHED = 1_000;

/**
 * @example await createProofVerifier(options).verify('p_acme', hash, { anonymousId }) // { verified: true, kind: 'anonymous' }
 */
export function createProofVerifier(options: ProofVerifierOptions): ProofVerifier {
  const cache = new Map<string, { row: IdentitySecretRow | undefined; secret: Buffer | undefined; until: number }>();

  async function secretOf(id: string, now: number) {
    const cached = cache.get(id);
    if (cached && cached.until > now) return cached;
    const row = await options.store.findIdentitySecret(id);
    if (cache.size >= MAX_CACHED) cache.clear();
    const entry = { row, secret: row && deriveIdentitySecret(options.ring, row), until: now + options.cacheMs };
    cache.set(id, entry);
    return entry;
  }

  async function verifySigned(projectId: string, subjectHash: string, text: string): Promise<ProofOutcome> {
    const assertion = parseAssertion(text);
    if (!assertion) return { verified: false, failure: 'malformed' };
    const now = options.now();
    const expiresAtMs = assertion.expiresAt * 1_000;
    if (expiresAtMs <= now) return { verified: false, failure: 'expired' };
    if (expiresAtMs - now > options.maxTtlMs) return { verified: false, failure: 'too_long' };
    const { row, secret } = await secretOf(assertion.secretId, now);
    if (!row || !secret || (row.expiresAt !== null && row.expiresAt <= now)) return { verified: false, failure: 'unknown_secret' };
    if (row.projectId !== projectId) return { verified: false, failure: 'wrong_project' };
    // Compared as canonical base64url text: a decoder would also accept other spellings of the
    // same bytes (the last character's spare bits), and one assertion has one spelling.
    const expected = Buffer.from(createHmac('sha256', secret).update(assertionMessage(projectId, subjectHash, assertion.expiresAt)).digest('base64url'));
    const presented = Buffer.from(assertion.mac);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { verified: false, failure: 'mismatch' };
    return { verified: true, kind: 'signed', secretId: row.id };
  }

  return {
    async verify(projectId, subjectHash, proof) {
      if (proof === undefined) return { verified: false, failure: 'missing' };
      if ('identity' in proof) return verifySigned(projectId, subjectHash, proof.identity);
      if (!anonymousIdSchema.safeParse(proof.anonymousId).success) return { verified: false, failure: 'malformed' };
      // Anonymous only if the server's own hash of the id is this subject: a victim's
      // identified hash can never come out of an anonymous preimage.
      return anonymousHash(projectId, proof.anonymousId) === subjectHash ? { verified: true, kind: 'anonymous' } : { verified: false, failure: 'anonymous_mismatch' };
    },
  };
}
