/**
 * The one storage interface of the server. Domain code (ingest, consent, rights, stats)
 * talks only to this; `sqlite/` and `postgres/` implement it, and only they know
 * their dialect. Methods are async so a networked store fits behind the same contract.
 */
import type { DeviceClass, SubjectState } from '@heed/policy';
import type { PlannedEvent } from '../aggregates/aggregate-plan.js';
import type { StatsStore } from './stats-store.js';

export type KeyKind = 'write' | 'analyst' | 'admin' | 'backend';

/**
 * How a project treats subjects whose proof is missing or wrong (issue "Authenticated
 * subjects"): `enforce` refuses them (new projects), `report` accepts and counts them (projects
 * from before identity verification, while their integration moves to signed identities),
 * `off` neither checks nor counts (only by an operator's explicit choice).
 */
export type IdentityMode = 'enforce' | 'report' | 'off';
export const IDENTITY_MODES = ['enforce', 'report', 'off'] as const satisfies readonly IdentityMode[];

export interface ProjectRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly identityMode: IdentityMode;
  /** The project's own policy (`PolicyVersionRow.hash`); null: the server's policy applies. */
  readonly policyHash: string | null;
}

/** A policy document as archived: its text, by the SHA-256 every ledger entry made under it records. */
export interface PolicyVersionRow {
  readonly hash: string;
  /** '' for the server's own policy. */
  readonly projectId: string;
  readonly version: string;
  readonly document: string;
  readonly archivedAt: number;
}

/** Grounds on which erasure may be refused and retention held (Art. 17(3)(b), (e); the policy's "contract"). */
export const HOLD_GROUNDS = ['legal_obligation', 'legal_claims', 'contract'] as const;
export type HoldGround = (typeof HOLD_GROUNDS)[number];

/** A legal hold on a subject: erasure refused and retention paused on `ground` until `until` (null: until lifted). */
export interface LegalHold {
  readonly ground: HoldGround;
  readonly reason: string;
  readonly until: number | null;
}

export interface KeyRow {
  readonly id: string;
  readonly projectId: string;
  readonly kind: KeyKind;
  readonly label: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * A project's identity secret as stored: not the secret. The secret is an HMAC of the salt
 * under the identity master key, which lives apart from the database (identity/secrets.ts).
 */
export interface IdentitySecretRow {
  readonly id: string;
  readonly projectId: string;
  readonly salt: string;
  /** Which identity master key derives it. */
  readonly masterKeyId: string;
  readonly createdAt: number;
  /** End of a rotation's overlap: assertions signed with it are refused from then on. */
  readonly expiresAt: number | null;
}

export interface SubjectRecord {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly keyId: string;
  readonly createdAt: number;
  readonly tz: string | null;
  readonly device: string | null;
  readonly consentAt: number | null;
  readonly lastSeenAt: number | null;
  readonly state: SubjectState;
  /** The fields the subject corrected (Art. 16): `tz` and `device` above already show the corrected values. */
  readonly corrected: readonly ('tz' | 'device')[];
  readonly legalHold: LegalHold | null;
}

export interface SubjectKey {
  readonly projectId: string;
  readonly pseudonym: string;
}

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

/** A subject token to store: only its digest, with an id the ledger can name. */
export interface NewSubjectToken {
  readonly id: string;
  readonly hash: string;
  /** Who it was issued to: the channel of the verified caller. */
  readonly channel: ActorChannel;
}

export interface SubjectTokenRow {
  readonly id: string;
  readonly createdAt: number;
  readonly channel: string;
}

/** A consent decision applied to a subject, with its ledger entry, atomically. */
export interface ConsentWrite {
  readonly projectId: string;
  readonly pseudonym: string;
  /** The pseudonymisation key the pseudonym was made with (stored with a new subject). */
  readonly keyId: string;
  readonly at: number;
  readonly policyVersion: string;
  readonly granted: readonly string[];
  /**
   * Objections this decision adds (a privacy signal, a banner's switch). They join the ones in
   * force; a decision never lifts one (only the subject's explicit lifting does).
   */
  readonly objected: readonly string[];
  readonly ledger: LedgerAppend;
  /**
   * A token for the verified caller, stored with the decision (`onlyIfNew`: only when the
   * decision creates the subject); absent for an unverified caller.
   */
  readonly token?: NewSubjectToken & { readonly onlyIfNew: boolean };
  /** A daily counter this decision adds one to (e.g. `identity_unverified:missing` in report mode). */
  readonly counter?: string;
}

export interface ConsentWriteResult {
  /** True when the subject was created by this decision. */
  readonly created: boolean;
  /** True when the subject was erased before: nothing was changed. */
  readonly erased: boolean;
  /** The objections in force after the decision. */
  readonly objected: readonly string[];
  /** Whether the decision's token was stored (its id is in the ledger entry's detail). */
  readonly tokenIssued: boolean;
}

/** An event that passed validation, the time window and the decision table. */
export interface AcceptedEvent extends PlannedEvent {
  readonly id: string;
  readonly propsJson: string | null;
}

export interface IngestWrite {
  readonly projectId: string;
  readonly receivedAt: number;
  readonly tz: string;
  readonly device: DeviceClass;
  readonly events: readonly AcceptedEvent[];
  /** Suppressed events per reason, counted in the same transaction. */
  readonly suppressed: Readonly<Record<string, number>>;
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  /**
   * Events not stored because their subject was erased or restricted after the batch was
   * decided and before its transaction (Art. 17, 18): the store checks again inside it.
   * Counted with the suppressions, by reason; absent when there were none.
   */
  readonly lateSuppressed?: Partial<Record<LateReason, number>>;
}

/** Flags the store re-checks inside the ingest transaction. */
export type LateReason = 'erased' | 'restricted';

/** A change to a subject's flags, with the ledger entry that proves it, applied atomically. */
export interface FlagChange {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly restricted?: boolean;
  readonly objected?: readonly string[];
  readonly withdrawn?: boolean;
  readonly ledger: LedgerAppend;
}

export interface RightsRequestRow {
  readonly id: string;
  readonly projectId: string;
  readonly pseudonym: string;
  readonly kind: string;
  readonly via: 'subject' | 'admin';
  readonly receivedAt: number;
  readonly dueAt: number;
  readonly completedAt: number | null;
  readonly outcome: string | null;
  readonly state: RequestState;
  /** The one-month due date before any extension. */
  readonly originalDueAt: number;
  readonly extensionReason: string | null;
  readonly noticeAt: number | null;
  readonly refusalGround: RefusalGround | null;
}

/** A rights request's life (Art. 12): received -> extended -> completed | refused. */
export type RequestState = 'received' | 'extended' | 'completed' | 'refused';

/**
 * Grounds a request may be refused on: a legal obligation or legal claims (Art. 17(3)(b), (e)),
 * a contract (the policy, clause 6), a manifestly unfounded or excessive request (Art. 12(5)).
 */
export const REFUSAL_GROUNDS = ['legal_obligation', 'legal_claims', 'contract', 'manifestly_unfounded', 'excessive'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** A step of a request's life, applied only if it is in one of `from`. */
export interface RequestChange {
  readonly from: readonly RequestState[];
  readonly state: RequestState;
  readonly dueAt?: number;
  readonly extensionReason?: string;
  readonly noticeAt?: number;
  readonly refusalGround?: RefusalGround;
  readonly completedAt?: number;
  readonly outcome?: string;
}

export interface EventRow {
  readonly id: string;
  readonly type: string;
  readonly ts: number;
  readonly receivedAt: number;
  readonly sessionId: string;
  readonly name: string | null;
  readonly durationMs: number | null;
  readonly activeMs: number | null;
  readonly props: string | null;
  readonly purposes: string;
}

export interface SessionRow {
  readonly sessionId: string;
  readonly startedAt: number;
  readonly lastSeenAt: number;
  readonly endedAt: number | null;
  readonly activeMs: number;
  readonly events: number;
}

export interface ActivityRow {
  readonly purpose: string;
  readonly grain: string;
  readonly bucket: number;
}

/** Everything held about one subject (Art. 15 access, Art. 20 portability). */
export interface SubjectData {
  readonly subject: SubjectRecord;
  readonly ledger: LedgerEntry[];
  readonly events: EventRow[];
  readonly sessions: SessionRow[];
  readonly activity: ActivityRow[];
  readonly requests: RightsRequestRow[];
  /** The subject's live tokens (ids and when, never the tokens). */
  readonly tokens: SubjectTokenRow[];
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** The statistics reads (see stats-store.ts); all computing is in `stats/`. */
  readonly stats: StatsStore;

  createProject(project: Omit<ProjectRow, 'policyHash'>): Promise<void>;
  listProjects(): Promise<ProjectRow[]>;
  findProject(id: string): Promise<ProjectRow | undefined>;
  setIdentityMode(projectId: string, mode: IdentityMode): Promise<boolean>;
  insertKey(key: KeyRow & { hash: string }): Promise<void>;
  /** The live key with this id and its stored hash, or undefined (unknown or revoked). */
  findKey(id: string): Promise<(KeyRow & { hash: string }) | undefined>;
  listKeys(projectId: string): Promise<KeyRow[]>;
  revokeKey(id: string, at: number): Promise<boolean>;

  insertIdentitySecret(row: IdentitySecretRow): Promise<void>;
  /** The secret row with this id, in whichever project (the caller checks the project). */
  findIdentitySecret(id: string): Promise<IdentitySecretRow | undefined>;
  listIdentitySecrets(projectId: string): Promise<IdentitySecretRow[]>;
  /** Sets the end of the overlap of every other live secret of the project (a rotation). */
  expireIdentitySecrets(projectId: string, exceptId: string, expiresAt: number): Promise<number>;

  /** Subjects by pseudonym; absent ones are missing from the map. */
  loadSubjects(projectId: string, pseudonyms: readonly string[]): Promise<Map<string, SubjectRecord>>;
  recordConsent(write: ConsentWrite): Promise<ConsentWriteResult>;
  ingest(write: IngestWrite): Promise<IngestResult>;

  /** The subject a live token with this digest belongs to (erased subjects have none), and the token's id. */
  findSubjectByToken(tokenHash: string): Promise<{ subject: SubjectRecord; tokenId: string } | undefined>;
  /** Stores a token for an existing, not erased subject, with the ledger entry that records it; false when there is none. */
  issueToken(token: NewSubjectToken, ledger: LedgerAppend): Promise<boolean>;
  /** Deletes the subject's tokens but `keepId`; returns how many. */
  revokeTokens(subject: SubjectKey, keepId?: string): Promise<number>;
  /**
   * Sets flags and appends the ledger entry. Turning restriction on takes the subject's held
   * events out of every aggregate; turning it off puts them back (Art. 18).
   */
  changeFlags(change: FlagChange): Promise<SubjectRecord | undefined>;
  /** Corrects the time zone or device class (Art. 16). */
  rectify(projectId: string, pseudonym: string, patch: { tz?: string; device?: string }): Promise<void>;
  /**
   * Art. 17: takes held events out of the aggregates, deletes events, sessions, activity rows
   * and tokens, unlinks the subject's rights requests (kept, without the pseudonym, as proof
   * they were answered), and leaves the subject row as a suppression record. The ledger stays
   * (proof of consent, a legal obligation). Returns the number of events and sessions deleted.
   */
  erase(projectId: string, pseudonym: string, ledger: LedgerAppend): Promise<{ events: number; sessions: number }>;
  subjectData(projectId: string, pseudonym: string): Promise<SubjectData | undefined>;
  logRightsRequest(row: RightsRequestRow): Promise<void>;
  listRightsRequests(projectId: string): Promise<RightsRequestRow[]>;
  /** Moves a request along its life when it is in one of `change.from`; the row as it is then, or undefined. */
  changeRightsRequest(projectId: string, id: string, change: RequestChange): Promise<RightsRequestRow | undefined>;
  /** Sets (or with null lifts) a legal hold, with the ledger entry that records it; undefined for an unknown or erased subject. */
  setLegalHold(hold: LegalHold | null, ledger: LedgerAppend): Promise<SubjectRecord | undefined>;

  /** Archives a policy text (once per hash). */
  archivePolicy(row: PolicyVersionRow): Promise<void>;
  findPolicy(hash: string): Promise<PolicyVersionRow | undefined>;
  /** The archived texts of a policy line ('' for the server's), newest archived first; of one version when given. */
  policyVersions(projectId: string, version?: string): Promise<PolicyVersionRow[]>;
  /** Gives a project its own archived policy (null: the server's again). */
  setProjectPolicy(projectId: string, hash: string | null): Promise<boolean>;

  /** Ledger entries in order, for verification and access requests. */
  ledgerEntries(projectId?: string): AsyncIterable<LedgerEntry>;
  /** The newest entry of every project's chain. */
  ledgerHeads(): Promise<LedgerHead[]>;
  /** Daily counters (suppressions and other numbers-only counts) whose reason starts with `prefix`, from `sinceDay` on. */
  dailyCounters(projectId: string, prefix: string, sinceDay: number): Promise<{ day: number; reason: string; count: number }[]>;
  /** Appends an entry that concerns no subject's flags (a project's own events, e.g. the ledger being sealed). */
  appendLedger(entry: LedgerAppend): Promise<void>;
  /**
   * Re-seals a project's entries from before the chain was keyed under the ledger key, after
   * checking them against their old hashes; nothing changes when they do not check out
   * (ledger/seal-legacy.ts).
   */
  sealLegacyLedger(projectId: string, reseal: LegacyReseal): Promise<LegacySealResult>;
  /**
   * Deletes up to `limit` rows of a data class that the retention job found expired: rows
   * older than `before` (raw events by arrival, sessions by last activity, activity rows and
   * aggregates by bucket, completed rights requests by arrival). Returns how many it deleted,
   * so the job can go on in chunks that never hold the write lock for long.
   */
  prune(dataClass: PrunableClass, cut: PruneCut): Promise<number>;
  /**
   * Drops a project's ledger entries made before `cut.before`, behind a sealed checkpoint (see
   * store/rules/prune-ledger.ts); a subject's decision still in force is carried forward
   * first. Returns how many entries went.
   */
  pruneLedger(projectId: string, cut: LedgerCut): Promise<number>;
  ledgerCheckpoints(): Promise<LedgerCheckpoint[]>;
  /** Raw SQL-free escape hatch for tests and the CLI: table row counts. */
  counts(): Promise<Record<string, number>>;
  /** Resolves once the store can serve (a networked store's migrations applied); rejects if it cannot. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/** The part of the store each driver's subject repository implements (`<driver>/subjects.ts`). */
export type SubjectStore = Pick<
  Store,
  | 'loadSubjects' | 'findSubjectByToken' | 'recordConsent' | 'issueToken' | 'revokeTokens' | 'changeFlags' | 'rectify' | 'erase'
  | 'appendLedger' | 'sealLegacyLedger' | 'subjectData' | 'logRightsRequest' | 'listRightsRequests' | 'changeRightsRequest' | 'setLegalHold'
>;

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

/**
 * Data classes the retention job deletes. The consent ledger is not among them: its entries
 * are chained by hash, so removing old ones needs a signed checkpoint first (not built yet).
 */
export type PrunableClass = 'rawEvents' | 'sessions' | 'activity' | 'aggregates' | 'rightsRequests' | 'subjects';

/** One chunk of retention for one project. */
export interface PruneCut {
  readonly projectId: string;
  /** Rows from this instant or before go (by each class's time column): their whole period has passed. */
  readonly before: number;
  readonly limit: number;
  /**
   * The clock: a subject restricted (Art. 18: kept, not used) or under a legal hold that has not
   * ended by now keeps its rows, whatever their age.
   */
  readonly now: number;
}

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

/** Thrown when the store stays locked past its busy timeout; the server answers 503. */
export class StoreBusyError extends Error {
  readonly code = 'store_busy';
  constructor(options: { cause: unknown }) {
    super('the store is busy: another writer holds the lock', options);
    this.name = 'StoreBusyError';
  }
}
