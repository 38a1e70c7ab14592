/**
 * At start, every project's ledger entries from before the ledger key are checked against
 * their old SHA-256 chain and re-sealed under the key (store rule `seal-legacy-ledger.ts`),
 * with one `ledger_sealed` entry that records how many and the old head. From then on every
 * entry is keyed, and `heed ledger verify` accepts nothing else. A chain that does not check
 * out is left exactly as it is, and the failure is logged: re-sealing it would launder a
 * tampered history into a valid one.
 */
import type { PolicyDocument } from '@heed/policy';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { LedgerEntry, Store } from '../store/store.js';
import { legacyChainHash, type LedgerKeys } from './chain.js';

/** What re-sealing needs (a part of the server's services). */
export interface SealDeps {
  readonly store: Store;
  readonly ledger: LedgerKeys;
  readonly policy: PolicyDocument;
  readonly policyHash: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The old (version 1) check of one entry: its link and its unkeyed hash. */
export function checkLegacyEntry(entry: LedgerEntry, prevHash: string): string | undefined {
  if (entry.prevHash !== prevHash) return 'broken_link';
  if (legacyChainHash(prevHash, entry) !== entry.hash) return 'hash_mismatch';
  return undefined;
}

/**
 * @example await sealLegacyLedgers(services) // [{ projectId: 'p_x', sealed: 12 }]
 */
export async function sealLegacyLedgers(services: SealDeps) {
  const results: { projectId: string; sealed: number; refused?: { seq: number; problem: string } }[] = [];
  for (const project of await services.store.listProjects()) {
    const result = await services.store.sealLegacyLedger(project.id, {
      seal: services.ledger,
      check: checkLegacyEntry,
      record: {
        projectId: project.id,
        pseudonym: '',
        action: 'ledger_sealed',
        policyVersion: services.policy.version,
        policyHash: services.policyHash,
        detail: {},
        at: services.clock.now(),
        actor: { channel: 'system', auth: `ledger_key:${services.ledger.keyId}` },
      },
    });
    if ('refused' in result) {
      services.logger.error('ledger not sealed: its pre-key chain does not verify', { projectId: project.id, seq: result.refused.seq, problem: result.refused.problem });
      results.push({ projectId: project.id, sealed: 0, refused: result.refused });
    } else if (result.sealed > 0) {
      services.logger.info('ledger sealed under the ledger key', { projectId: project.id, entries: result.sealed });
      results.push({ projectId: project.id, sealed: result.sealed });
    }
  }
  return results;
}
