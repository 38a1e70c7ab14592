/**
 * Re-sealing a chain from before the ledger key, written once for both stores. The chain is
 * first checked against its old, unkeyed hashes, entry by entry, in the same transaction that
 * rewrites it: should any entry not check out, the rule throws and the transaction leaves
 * everything as it was (a tampered chain is never laundered into a valid keyed one). A chain
 * whose unkeyed entries are followed by keyed ones is refused too (a process of the old
 * version appended after the upgrade; stop it and seal again).
 */
import { GENESIS_HASH, type LegacyReseal, type LegacySealResult } from '../store.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

const PAGE = 1_000;

/** Thrown inside the transaction to undo it; the store answers `{ refused }`. */
export class LedgerSealRefused extends Error {
  constructor(readonly seq: number, readonly problem: string) {
    super(`ledger entry ${seq}: ${problem}`);
    this.name = 'LedgerSealRefused';
  }
}

/**
 * @example runSync(sealLegacyLedger('p_acme', reseal), port) // { sealed: 4, head }
 */
export function* sealLegacyLedger(projectId: string, reseal: LegacyReseal): Script<SubjectPort, LegacySealResult> {
  const before = yield* db.lockLedgerHead(projectId);
  if (!before) return { sealed: 0 };
  // Every start asks: a chain with no unkeyed entry has nothing to seal, and is not read entry
  // by entry (at 100,000 subjects that read took a second and left 50 MB of heap behind).
  if (!(yield* db.hasUnkeyedEntries(projectId))) return { sealed: 0 };
  let oldPrev = GENESIS_HASH;
  let newPrev = GENESIS_HASH;
  let sealed = 0;
  let keyedSeen = false;
  for (let after = 0; ; ) {
    const page = yield* db.ledgerPage(projectId, after, PAGE);
    for (const entry of page) {
      if (entry.keyId !== null) {
        keyedSeen = true;
        continue;
      }
      if (keyedSeen) throw new LedgerSealRefused(entry.seq, 'an unkeyed entry follows keyed ones');
      const problem = reseal.check(entry, oldPrev);
      if (problem !== undefined) throw new LedgerSealRefused(entry.seq, problem);
      oldPrev = entry.hash;
      const hash = reseal.seal.seal(newPrev, entry);
      yield* db.resealEntry(entry.seq, { channel: entry.channel, auth: entry.auth, policyHash: entry.policyHash, keyId: reseal.seal.keyId, prevHash: newPrev, hash });
      newPrev = hash;
      sealed++;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  if (sealed === 0) return { sealed: 0 };
  if (keyedSeen) throw new LedgerSealRefused(before.seq, 'keyed entries follow unkeyed ones');
  yield* db.setLedgerHead({ projectId, seq: before.seq, hash: newPrev });
  const head = yield* appendLedger({ ...reseal.record, detail: { ...reseal.record.detail, entries: sealed, legacyHead: before.hash } }, reseal.seal);
  return { sealed, head };
}
