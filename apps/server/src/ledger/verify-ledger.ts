/**
 * Walks the consent ledger and re-computes every hash: the first entry whose stored hash or
 * link to its predecessor does not match is where the ledger was changed.
 */
import type { LedgerEntry } from '../store/store.js';
import { GENESIS_HASH, chainHash } from './chain.js';

export type LedgerVerdict =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly seq: number; readonly problem: 'hash_mismatch' | 'broken_link' };

/**
 * @example await verifyLedger(store.ledgerEntries()) // { ok: true, entries: 12 }
 */
export async function verifyLedger(entries: AsyncIterable<LedgerEntry>): Promise<LedgerVerdict> {
  const lastHash = new Map<string, string>();
  let count = 0;
  for await (const entry of entries) {
    count++;
    const expectedPrev = lastHash.get(entry.projectId) ?? GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) return { ok: false, entries: count, seq: entry.seq, problem: 'broken_link' };
    if (chainHash(entry.prevHash, entry) !== entry.hash) return { ok: false, entries: count, seq: entry.seq, problem: 'hash_mismatch' };
    lastHash.set(entry.projectId, entry.hash);
  }
  return { ok: true, entries: count };
}
