/**
 * The consent ledger's hash chain. Each entry's hash covers the previous entry's hash and
 * the entry's own fields, so changing, removing or reordering any entry breaks every hash
 * after it: proof of consent (Art. 7(1)) that shows when it was tampered with.
 */
import { createHash } from 'node:crypto';

/** The `prevHash` of a project's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainFields {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly action: string;
  readonly policyVersion: string;
  readonly detailJson: string;
  readonly at: number;
}

/**
 * @example chainHash(GENESIS_HASH, { projectId: 'p', pseudonym: 's', action: 'decision', policyVersion: '2026-11-01', detailJson: '{}', at: 0 })
 */
export function chainHash(prevHash: string, entry: ChainFields): string {
  // A JSON array fixes field order and escapes separators, so no two entries share a preimage.
  const preimage = JSON.stringify([prevHash, entry.projectId, entry.pseudonym, entry.action, entry.policyVersion, entry.detailJson, entry.at]);
  return createHash('sha256').update(preimage).digest('hex');
}
