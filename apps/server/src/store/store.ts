/**
 * The one storage interface of the server. Domain code (ingest, consent, rights, stats)
 * talks only to this; `sqlite/` and `postgres/` implement it, and only they know
 * their dialect. Methods are async so a networked store fits behind the same contract.
 */
import type { DeviceClass, SubjectState } from '@heed/policy';
import type { StatsStore } from './stats-store.js';

export type KeyKind = 'write' | 'analyst' | 'admin';

export interface ProjectRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface KeyRow {
  readonly id: string;
  readonly projectId: string;
  readonly kind: KeyKind;
  readonly label: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
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
}

/** A ledger entry as written; `prevHash` and `hash` are filled in by the store. */
export interface LedgerAppend {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly action: string;
  readonly policyVersion: string;
  readonly detail: Record<string, unknown>;
  readonly at: number;
}

export interface LedgerEntry extends LedgerAppend {
  readonly seq: number;
  readonly detailJson: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** A consent decision applied to a subject, with its ledger entry, atomically. */
export interface ConsentWrite {
  readonly projectId: string;
  readonly pseudonym: string;
  readonly keyId: string;
  readonly at: number;
  readonly policyVersion: string;
  readonly granted: readonly string[];
  readonly objected: readonly string[];
  readonly ledger: LedgerAppend;
  /** SHA-256 of a new subject token, used only if the subject is new. */
  readonly newTokenHash: string;
}

export interface ConsentWriteResult {
  /** True when the subject was created by this decision (the token was stored). */
  readonly created: boolean;
  /** True when the subject was erased before: nothing was changed. */
  readonly erased: boolean;
}

/** An event that passed validation, the time window and the decision table. */
export interface AcceptedEvent {
  readonly id: string;
  readonly type: 'session_start' | 'heartbeat' | 'track' | 'session_end';
  readonly ts: number;
  readonly sessionId: string;
  readonly pseudonym: string;
  readonly name: string | null;
  readonly durationMs: number | null;
  readonly activeMs: number | null;
  readonly propsJson: string | null;
  /** The usage-tracking purposes this event may serve; never empty. */
  readonly purposes: readonly string[];
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
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** The statistics reads (see stats-store.ts); all computing is in `stats/`. */
  readonly stats: StatsStore;

  createProject(project: ProjectRow): Promise<void>;
  listProjects(): Promise<ProjectRow[]>;
  insertKey(key: KeyRow & { hash: string }): Promise<void>;
  /** The live key with this id and its stored hash, or undefined (unknown or revoked). */
  findKey(id: string): Promise<(KeyRow & { hash: string }) | undefined>;
  listKeys(projectId: string): Promise<KeyRow[]>;
  revokeKey(id: string, at: number): Promise<boolean>;

  /** Subjects by pseudonym; absent ones are missing from the map. */
  loadSubjects(projectId: string, pseudonyms: readonly string[]): Promise<Map<string, SubjectRecord>>;
  recordConsent(write: ConsentWrite): Promise<ConsentWriteResult>;
  ingest(write: IngestWrite): Promise<IngestResult>;

  /** The subject whose token has this digest (erased subjects have none). */
  findSubjectByToken(tokenHash: string): Promise<SubjectRecord | undefined>;
  /**
   * Sets flags and appends the ledger entry. Turning restriction on takes the subject's held
   * events out of every aggregate; turning it off puts them back (Art. 18).
   */
  changeFlags(change: FlagChange): Promise<SubjectRecord | undefined>;
  /** Corrects the time zone or device class (Art. 16). */
  rectify(projectId: string, pseudonym: string, patch: { tz?: string; device?: string }): Promise<void>;
  /**
   * Art. 17: takes held events out of the aggregates, deletes events, sessions, activity rows
   * and the token, unlinks the subject's rights requests (kept, without the pseudonym, as
   * proof they were answered), and leaves the subject row as a suppression record. The ledger
   * stays (proof of consent, a legal obligation). Returns the number of events deleted.
   */
  erase(projectId: string, pseudonym: string, ledger: LedgerAppend): Promise<{ events: number; sessions: number }>;
  subjectData(projectId: string, pseudonym: string): Promise<SubjectData | undefined>;
  logRightsRequest(row: RightsRequestRow): Promise<void>;
  listRightsRequests(projectId: string): Promise<RightsRequestRow[]>;
  /** Marks an open request answered; false when there is no such open request in the project. */
  completeRightsRequest(projectId: string, id: string, completedAt: number, outcome: string): Promise<boolean>;

  /** Ledger entries in order, for verification and access requests. */
  ledgerEntries(projectId?: string): AsyncIterable<LedgerEntry>;
  /**
   * Deletes up to `limit` rows of a data class that the retention job found expired: rows
   * older than `before` (raw events by arrival, sessions by last activity, activity rows and
   * aggregates by bucket, completed rights requests by arrival). Returns how many it deleted,
   * so the job can go on in chunks that never hold the write lock for long.
   */
  prune(dataClass: PrunableClass, before: number, limit: number): Promise<number>;
  /** Raw SQL-free escape hatch for tests and the CLI: table row counts. */
  counts(): Promise<Record<string, number>>;
  /** Resolves once the store can serve (a networked store's migrations applied); rejects if it cannot. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Data classes the retention job deletes. The consent ledger is not among them: its entries
 * are chained by hash, so removing old ones needs a signed checkpoint first (not built yet).
 */
export type PrunableClass = 'rawEvents' | 'sessions' | 'activity' | 'aggregates' | 'rightsRequests';

/** Thrown when the store stays locked past its busy timeout; the server answers 503. */
export class StoreBusyError extends Error {
  readonly code = 'store_busy';
  constructor(options: { cause: unknown }) {
    super('the store is busy: another writer holds the lock', options);
    this.name = 'StoreBusyError';
  }
}
