/**
 * The consent ledger's chain. Each entry's hash covers the previous entry's hash and the
 * entry's own fields, so changing, removing or reordering an entry breaks every hash after
 * it: proof of consent (Art. 7(1)) that shows when it was tampered with.
 *
 * Since the issue "Authenticated subjects" the chain is keyed: an entry's hash is an
 * HMAC-SHA256 under the ledger key, which lives apart from the database (crypto/key-ring.ts).
 * A plain hash chain only proves that nobody changed history *without recomputing the
 * hashes*; whoever holds the database file can recompute SHA-256. They cannot compute the
 * HMAC. The entry also says who decided (channel) and how that caller was authenticated
 * (auth), and the SHA-256 of the policy text it was made under, all covered by the hash.
 *
 * Version 1 (before) is kept only to check a ledger once before it is re-sealed under the
 * key (`ledger/seal-legacy.ts`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../crypto/key-ring.js';
import type { ChainFields, LedgerSeal } from '../store/store.js';

export { GENESIS_HASH } from '../store/store.js';

/** Version 1: SHA-256 over the fields of the time, for checking a ledger before re-sealing it. */
export function legacyChainHash(prevHash: string, entry: Pick<ChainFields, 'projectId' | 'pseudonym' | 'action' | 'policyVersion' | 'detailJson' | 'at'>): string {
  const preimage = JSON.stringify([prevHash, entry.projectId, entry.pseudonym, entry.action, entry.policyVersion, entry.detailJson, entry.at]);
  return createHash('sha256').update(preimage).digest('hex');
}

/** Version 2: the keyed hash. A JSON array fixes field order and escapes separators, so no two entries share a preimage. */
function keyedHash(secret: Buffer, prevHash: string, entry: ChainFields): string {
  const preimage = JSON.stringify([
    'heed-ledger-v2', prevHash, entry.projectId, entry.pseudonym, entry.action, entry.policyVersion, entry.policyHash,
    entry.detailJson, entry.at, entry.channel, entry.auth,
  ]);
  return createHmac('sha256', secret).update(preimage).digest('hex');
}

export interface LedgerKeys extends LedgerSeal {
  /** Whether `hash` is the keyed hash of this entry under the key `keyId`; false for an unknown key. */
  check(keyId: string, prevHash: string, entry: ChainFields, hash: string): boolean;
  /** The secret of a ledger key (checkpoints are sealed with it too). */
  secretOf(keyId: string): Buffer | undefined;
}

/**
 * The store seals new entries with the ring's current key; verification accepts every key of
 * the ring, so the ledger key can be rotated.
 *
 * @example createLedgerKeys(keyRing([{ id: 'l1', secret: randomBytes(32) }])).seal(GENESIS_HASH, fields)
 */
export function createLedgerKeys(ring: KeyRing): LedgerKeys {
  return {
    keyId: ring.current.id,
    seal: (prevHash, entry) => keyedHash(ring.current.secret, prevHash, entry),
    secretOf: (keyId) => ring.byId(keyId)?.secret,
    check(keyId, prevHash, entry, hash) {
      const key = ring.byId(keyId);
      if (!key || !/^[0-9a-f]{64}$/.test(hash)) return false;
      return timingSafeEqual(Buffer.from(keyedHash(key.secret, prevHash, entry), 'hex'), Buffer.from(hash, 'hex'));
    },
  };
}
