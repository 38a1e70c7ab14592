/**
 * Appending to a project's consent ledger: read the head, seal the entry after it with the
 * ledger key, insert it, move the head. One key lookup whatever the ledger's size (the head
 * row), so recording a decision costs the same with a thousand entries or a million; on
 * PostgreSQL the head row's lock orders a project's appends across every server process.
 */
import { GENESIS_HASH, type LedgerAppend, type LedgerHead, type LedgerSeal } from '../store.js';
import type { Script } from './script.js';
import { db, type SubjectPort } from './subject-port.js';

/**
 * @example yield* appendLedger(entry, seal)
 */
export function* appendLedger(entry: LedgerAppend, seal: LedgerSeal): Script<SubjectPort, LedgerHead> {
  const head = yield* db.lockLedgerHead(entry.projectId);
  const prevHash = head?.hash ?? GENESIS_HASH;
  const fields = {
    projectId: entry.projectId,
    pseudonym: entry.pseudonym,
    action: entry.action,
    policyVersion: entry.policyVersion,
    policyHash: entry.policyHash,
    detailJson: JSON.stringify(entry.detail),
    at: entry.at,
    channel: entry.actor.channel,
    auth: entry.actor.auth,
  };
  const hash = seal.seal(prevHash, fields);
  const seq = yield* db.insertLedgerEntry({ ...fields, keyId: seal.keyId, prevHash, hash });
  const next = { projectId: entry.projectId, seq, hash };
  yield* db.setLedgerHead(next);
  return next;
}
