/**
 * The one storage interface of the server. Domain code (ingest, consent, rights, stats)
 * talks only to this; `sqlite/` and `postgres/` implement it, and only they know
 * their dialect. Methods are async so a networked store fits behind the same contract.
 */
import type { IngestResult, IngestWrite } from './rows/event-rows.js';
import type { LedgerAppend, LedgerCheckpoint, LedgerCut, LedgerEntry, LedgerHead, LegacyReseal, LegacySealResult } from './rows/ledger-rows.js';
import type { IdentityMode, IdentitySecretRow, KeyRow, PolicyVersionRow, ProjectRow } from './rows/project-rows.js';
import type { RequestChange, RightsRequestRow } from './rows/request-rows.js';
import type { PrunableClass, PruneCut } from './rows/retention-rows.js';
import type { ConsentWrite, ConsentWriteResult, FlagChange, LegalHold, NewSubjectToken, SubjectData, SubjectKey, SubjectRecord } from './rows/subject-rows.js';
import type { StatsStore } from './stats-store.js';

// The rows the interface speaks in, one file per concern; importers keep naming this module.
export * from './rows/event-rows.js';
export * from './rows/ledger-rows.js';
export * from './rows/project-rows.js';
export * from './rows/request-rows.js';
export * from './rows/retention-rows.js';
export * from './rows/subject-rows.js';
export { StoreBusyError } from './store-busy-error.js';
export { BackupTargetExistsError } from './backup-target-exists-error.js';
export { RestoreRefusedError } from './restore-refused-error.js';
export { scrubbingOnce } from './rules/scrubbed-after.js';

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
  /**
   * Leaves no copy of a project's deleted rows in the store's own files; called after an
   * erasure (before it answers) and after a retention run that deleted rows of the project.
   * The project's statistics snapshot is rewritten without them (`activity-index/snapshot/`);
   * on SQLite, whose deleted rows are zeroed as they go (`secure_delete`), the WAL is emptied
   * too, since its older frames still hold them. PostgreSQL has no means to overwrite dead rows
   * (docs/operations.md, "What deletion leaves on disk").
   */
  scrubDeleted(projectId: string): Promise<void>;
  /** Raw SQL-free escape hatch for tests and the CLI: table row counts. */
  counts(): Promise<Record<string, number>>;
  /**
   * Copies the whole database, consistent as of one moment, into a new file at `to` while the
   * server runs (`sqlite/backup.ts`); refuses a file that exists (`BackupTargetExistsError`).
   * Only the embedded store has it: PostgreSQL is backed up
   * with its own tools (docs/operations.md, "Backups").
   */
  backup?(to: string): Promise<BackupReport>;
  /** Resolves once the store can serve (a networked store's migrations applied); rejects if it cannot. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

export interface BackupReport {
  readonly file: string;
  readonly bytes: number;
}

/** The part of the store each driver's subject repository implements (`<driver>/subjects.ts`). */
export type SubjectStore = Pick<
  Store,
  | 'loadSubjects' | 'findSubjectByToken' | 'recordConsent' | 'issueToken' | 'revokeTokens' | 'changeFlags' | 'rectify' | 'erase'
  | 'appendLedger' | 'sealLegacyLedger' | 'subjectData' | 'logRightsRequest' | 'listRightsRequests' | 'changeRightsRequest' | 'setLegalHold'
>;
