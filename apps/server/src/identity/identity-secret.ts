/**
 * Project identity secrets: what a platform's backend signs identity assertions with
 * (`signIdentity` in `@heed/sdk/node`). Shown once as `heed_id_<id>_<64 hex>`; never stored:
 * the database keeps a random salt, and the secret is HMAC-SHA256(master key, salt) under the
 * identity master key, which lives apart from the database (crypto/key-ring.ts). So a copy of
 * the database alone cannot sign for anyone, and the server can still verify without keeping
 * the secret in the clear.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { KeyRing } from '../crypto/key-ring.js';
import type { IdentitySecretRow } from '../store/store.js';

const newId = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 12);

/**
 * The secret bytes of a row, or undefined when the master key that derived it is gone.
 *
 * @example deriveIdentitySecret(ring, row)?.length // 32
 */
export function deriveIdentitySecret(ring: KeyRing, row: Pick<IdentitySecretRow, 'id' | 'projectId' | 'salt' | 'masterKeyId'>): Buffer | undefined {
  const master = ring.byId(row.masterKeyId);
  if (!master) return undefined;
  return createHmac('sha256', master.secret).update(`heed-identity-secret:v1:${row.projectId}:${row.id}:${row.salt}`).digest();
}

/**
 * A new secret's row (to store) and its text (to show once).
 *
 * @example const { row, secret } = newIdentitySecret(ring, 'p_acme', Date.now()); // secret: 'heed_id_...'
 */
export function newIdentitySecret(ring: KeyRing, projectId: string, now: number): { row: IdentitySecretRow; secret: string } {
  const row: IdentitySecretRow = { id: newId(), projectId, salt: randomBytes(16).toString('hex'), masterKeyId: ring.current.id, createdAt: now, expiresAt: null };
  return { row, secret: `heed_id_${row.id}_${deriveIdentitySecret(ring, row)!.toString('hex')}` };
}
