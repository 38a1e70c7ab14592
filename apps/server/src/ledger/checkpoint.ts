/**
 * The seal of a ledger checkpoint (store/rules/prune-ledger.ts): an HMAC under the ledger key
 * over where the remaining chain starts, so nobody holding only the database can move it to
 * hide entries they deleted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CheckpointSeal, LedgerCheckpoint } from '../store/store.js';
import type { LedgerKeys } from './chain.js';

type Sealed = Omit<LedgerCheckpoint, 'keyId' | 'seal'>;

const preimage = (checkpoint: Sealed) => JSON.stringify(['heed-ledger-checkpoint-v1', checkpoint.projectId, checkpoint.seq, checkpoint.hash, checkpoint.pruned, checkpoint.at]);

/** @example checkpointSeal(services.ledger).seal({ projectId, seq: 1200, hash, pruned: 1200, at: Date.now() }) */
export function checkpointSeal(keys: LedgerKeys): CheckpointSeal & { check(checkpoint: LedgerCheckpoint): boolean } {
  return {
    keyId: keys.keyId,
    seal: (checkpoint) => createHmac('sha256', keys.secretOf(keys.keyId)!).update(preimage(checkpoint)).digest('hex'),
    check(checkpoint) {
      const secret = keys.secretOf(checkpoint.keyId);
      if (!secret || !/^[0-9a-f]{64}$/.test(checkpoint.seal)) return false;
      return timingSafeEqual(createHmac('sha256', secret).update(preimage(checkpoint)).digest(), Buffer.from(checkpoint.seal, 'hex'));
    },
  };
}
