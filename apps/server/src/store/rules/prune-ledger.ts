/**
 * Retention of the consent ledger (Art. 5(1)(e); the policy's `consentProof` period), written
 * once for both stores. The oldest entries go, as a prefix of the chain, behind a checkpoint
 * sealed with the ledger key: the seq and hash of the last entry pruned, so the remaining chain
 * verifies from a point that someone holding only the database can neither forge nor move.
 *
 * Proof of a consent still in force must outlive the period (Art. 7(1)): a subject's newest
 * decision, if it is among the entries to prune, is first carried forward as a new entry that
 * holds the original (its seq, hash, time, who decided and what), sealed into the chain.
 */
import type { LedgerCut, LedgerEntry, LedgerSeal } from '../store.js';
import { toSubjectRecord } from '../subject-row.js';
import { appendLedger } from './append-ledger.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

const PAGE = 1_000;

/**
 * @example runSync(pruneLedger('p_acme', cut), port) // 1200
 */
export function* pruneLedger(projectId: string, cut: LedgerCut, seal: LedgerSeal): Script<SubjectPort, number> {
  const head = yield* db.lockLedgerHead(projectId);
  if (!head) return 0;
  const checkpoint = yield* db.ledgerCheckpoint(projectId);
  // The prefix made at the cut-off or before (entries are appended in time order).
  const prefix: LedgerEntry[] = [];
  for (let after = checkpoint?.seq ?? 0, done = false; !done; ) {
    const page = yield* db.ledgerPage(projectId, after, PAGE);
    const young = page.findIndex((entry) => entry.at > cut.before);
    prefix.push(...(young < 0 ? page : page.slice(0, young)));
    done = young >= 0 || page.length < PAGE;
    after = page.at(-1)?.seq ?? after;
  }
  const last = prefix.at(-1);
  if (!last) return 0;
  // Carry forward each subject's newest decision among them, unless the subject was erased.
  const newest = new Map<string, LedgerEntry>();
  for (const entry of prefix) if (entry.action === 'decision' && entry.pseudonym !== '') newest.set(entry.pseudonym, entry);
  for (const entry of newest.values()) {
    const key = { projectId, pseudonym: entry.pseudonym };
    if ((yield* db.latestDecisionSeq(key)) !== entry.seq) continue;
    const row = yield* db.lockSubject(key);
    if (!row || toSubjectRecord(row).state.erased) continue;
    const original = { seq: entry.seq, hash: entry.hash, at: entry.at, policyVersion: entry.policyVersion, policyHash: entry.policyHash, channel: entry.channel, auth: entry.auth, detail: entry.detail };
    yield* appendLedger({ ...cut.carried, projectId, pseudonym: entry.pseudonym, detail: { carried: original } }, seal);
  }
  const pruned = yield* db.deleteLedgerThrough(projectId, last.seq);
  const next = { projectId, seq: last.seq, hash: last.hash, pruned: (checkpoint?.pruned ?? 0) + pruned, at: cut.carried.at };
  yield* db.setLedgerCheckpoint({ ...next, keyId: cut.checkpoint.keyId, seal: cut.checkpoint.seal(next) });
  return pruned;
}
