/**
 * Walks the consent ledger and checks every entry: its link to the previous entry of its
 * project, and its keyed hash under the ledger key (ledger/chain.ts). The first entry that
 * does not check out is where the ledger was changed. Someone holding only the database can
 * change rows and even recompute plain hashes; without the ledger key they cannot make an
 * entry that checks out. A project whose oldest entries retention pruned starts at its
 * checkpoint, whose seal is checked with the same key. An `anchor` (a head printed earlier by
 * `heed ledger head` and kept elsewhere) also catches a chain cut short at its end, which no
 * chain can show by itself.
 */
import type { LedgerCheckpoint, LedgerEntry, LedgerHead } from '../store/store.js';
import { GENESIS_HASH, type LedgerKeys } from './chain.js';
import { checkpointSeal } from './checkpoint.js';

export type LedgerProblem = 'broken_link' | 'hash_mismatch' | 'unsealed' | 'anchor_missing' | 'checkpoint_forged';

export type LedgerVerdict =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly seq: number; readonly problem: LedgerProblem };

/**
 * @example await verifyLedger(store.ledgerEntries(), services.ledger) // { ok: true, entries: 12 }
 */
export async function verifyLedger(
  entries: AsyncIterable<LedgerEntry>,
  keys: LedgerKeys,
  anchors: readonly LedgerHead[] = [],
  checkpoints: readonly LedgerCheckpoint[] = [],
): Promise<LedgerVerdict> {
  // Each pruned project's chain continues from its checkpoint, if the checkpoint's seal holds.
  const sealed = checkpointSeal(keys);
  const lastHash = new Map<string, string>();
  for (const checkpoint of checkpoints) {
    if (!sealed.check(checkpoint)) return { ok: false, entries: 0, seq: checkpoint.seq, problem: 'checkpoint_forged' };
    lastHash.set(checkpoint.projectId, checkpoint.hash);
  }
  const unmet = new Map(anchors.map((anchor) => [`${anchor.projectId}:${anchor.seq}`, anchor]));
  let count = 0;
  for await (const entry of entries) {
    count++;
    const expectedPrev = lastHash.get(entry.projectId) ?? GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) return { ok: false, entries: count, seq: entry.seq, problem: 'broken_link' };
    // An entry without a key id is from before the ledger key and was never re-sealed.
    if (entry.keyId === null) return { ok: false, entries: count, seq: entry.seq, problem: 'unsealed' };
    if (!keys.check(entry.keyId, entry.prevHash, entry, entry.hash)) return { ok: false, entries: count, seq: entry.seq, problem: 'hash_mismatch' };
    lastHash.set(entry.projectId, entry.hash);
    const anchor = unmet.get(`${entry.projectId}:${entry.seq}`);
    if (anchor && anchor.hash === entry.hash) unmet.delete(`${entry.projectId}:${entry.seq}`);
  }
  const [missing] = unmet.values();
  if (missing) return { ok: false, entries: count, seq: missing.seq, problem: 'anchor_missing' };
  return { ok: true, entries: count };
}
