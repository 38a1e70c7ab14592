/**
 * The consent ledger as the store holds it: who decided, the keyed chain, its head, re-sealing
 * a chain from before the key, and pruning behind a sealed checkpoint.
 */
/**
 * Who acted, as the ledger records it (issue "Authenticated subjects"): the channel the
 * request came through and how that caller was authenticated, e.g. `sdk` with
 * `identity:<secret id>` or `anonymous_id`, `subject` with `subject_token:<token id>`,
 * `staff` with `admin_key:<key id>`, `backend` with `backend_key:<key id>`.
 */
export interface Actor {
  readonly channel: ActorChannel;
  readonly auth: string;
}

export type ActorChannel = 'sdk' | 'subject' | 'staff' | 'backend' | 'system';

/** A ledger entry as the domain asks for it; the store chains and seals it. */
export interface LedgerAppend {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly action: string;
  readonly policyVersion: string;
  /** SHA-256 of the policy document in force (its text, archived with its version). */
  readonly policyHash: string;
  readonly detail: Record<string, unknown>;
  readonly at: number;
  readonly actor: Actor;
}

/** The `prevHash` of a project's first ledger entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers beside the previous hash (ledger/chain.ts). */
export interface ChainFields {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly action: string;
  readonly policyVersion: string;
  readonly policyHash: string;
  readonly detailJson: string;
  readonly at: number;
  readonly channel: string;
  readonly auth: string;
}

/**
 * Seals ledger entries: the keyed hash of an entry after `prevHash`. Injected into the store
 * (the key lives apart from the database; see ledger/chain.ts).
 */
export interface LedgerSeal {
  /** The id of the key new entries are sealed with, stored with each entry. */
  readonly keyId: string;
  seal(prevHash: string, entry: ChainFields): string;
}

export interface LedgerEntry extends ChainFields {
  readonly seq: number;
  readonly detail: Record<string, unknown>;
  /** The ledger key that sealed the entry; null for an entry from before the chain was keyed. */
  readonly keyId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The newest entry of a project's chain: what an operator anchors elsewhere (`heed ledger head`). */
export interface LedgerHead {
  readonly projectId: string;
  readonly seq: number;
  readonly hash: string;
}

/**
 * What re-sealing a pre-key chain needs from the ledger domain: the check of an entry against
 * its old, unkeyed hash (a problem, or undefined when it holds), the seal, and the entry that
 * records the re-sealing.
 */
export interface LegacyReseal {
  readonly seal: LedgerSeal;
  check(entry: LedgerEntry, prevHash: string): string | undefined;
  /** The entry appended after the re-sealed ones (its detail gets `entries` and `legacyHead`). */
  readonly record: LedgerAppend;
}

export type LegacySealResult =
  | { readonly sealed: number; readonly head?: LedgerHead }
  | { readonly sealed: 0; readonly refused: { readonly seq: number; readonly problem: string } };

/** Pruning a project's ledger: entries made at `before` or earlier go, behind a checkpoint sealed with `checkpoint`. */
export interface LedgerCut {
  readonly before: number;
  readonly checkpoint: CheckpointSeal;
  /** The entry appended for each decision still in force that is carried forward. */
  readonly carried: Omit<LedgerAppend, 'projectId' | 'pseudonym' | 'detail'>;
}

/** Where a project's ledger starts after pruning. */
export interface LedgerCheckpoint {
  readonly projectId: string;
  /** The last pruned entry. */
  readonly seq: number;
  readonly hash: string;
  /** How many entries were pruned, over every pruning. */
  readonly pruned: number;
  readonly at: number;
  readonly keyId: string;
  readonly seal: string;
}

/** Seals a checkpoint with the ledger key. */
export interface CheckpointSeal {
  readonly keyId: string;
  seal(checkpoint: Omit<LedgerCheckpoint, 'keyId' | 'seal'>): string;
}
