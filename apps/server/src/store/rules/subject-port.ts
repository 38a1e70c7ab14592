/**
 * What a driver does for the store's rules (`rules/*.ts`): single statements in its own
 * dialect, run inside the rule's write transaction. Everything that decides (which flags, which
 * aggregates to take out, in which order the erasure runs, how the ledger chains) is in the
 * rules, written once; `sqlite/subject-port.ts` and `postgres/subject-port.ts` only speak SQL.
 */
import type { AggregatePlan } from '../../aggregates/aggregate-plan.js';
import type { EventRow, LedgerCheckpoint, LedgerEntry, LedgerHead, LegalHold, NewSubjectToken, SubjectKey } from '../store.js';
import type { StatsRemoval } from '../stats-store.js';
import type { SubjectRow } from '../subject-row.js';
import { operations } from './script.js';

/** A ledger row as inserted: the chained fields, the seal and the link. */
export type LedgerRow = Omit<LedgerEntry, 'seq' | 'detail'>;

export interface SubjectPort {
  /** The subject row; PostgreSQL locks it (`FOR UPDATE`) for the rest of the transaction. */
  lockSubject(key: SubjectKey): SubjectRow | undefined;
  /** Inserts the subject unless it exists (erased ones too); true when it was inserted. */
  insertSubject(key: SubjectKey, keyId: string, at: number): boolean;
  /** Records a decision: purposes as JSON text, withdrawal cleared. */
  updateConsent(key: SubjectKey, consent: { readonly version: string; readonly granted: string; readonly at: number; readonly objected: string }): void;
  /** Writes the flags and returns the row as it now is. */
  setFlags(key: SubjectKey, flags: { readonly restricted: boolean; readonly objected: string; readonly withdrawn: boolean }): SubjectRow;
  /** The subject's stored events (what their aggregates were built from). */
  heldEvents(key: SubjectKey): EventRow[];
  /** Adds (`1`) or takes out (`-1`) a plan's counters and activity marks. */
  applyPlan(projectId: string, plan: AggregatePlan, sign: 1 | -1): void;
  /**
   * Raises projects.stats_epoch and logs the step (`stats-removal-log.ts`): the statistics
   * caches may hold what was just removed, and the step says what, so they apply it instead
   * of filling again. A step of one subject names the ledger entry of its change
   * (`ledgerSeq`, appended before in the same transaction) instead of holding the pseudonym.
   */
  bumpStatsEpoch(projectId: string, removal: StatsRemoval, ledgerSeq?: number): void;
  deleteEvents(key: SubjectKey): number;
  /** Deletes the subject's sessions; returns their keys (`SessionChange.key`). */
  deleteSessions(key: SubjectKey): number[];
  deleteActivity(key: SubjectKey): number;
  /** Rights requests stay as proof they were answered, without the pseudonym. */
  unlinkRequests(key: SubjectKey): void;
  /** Leaves the row as a suppression record: flags and held attributes cleared. */
  markErased(key: SubjectKey): void;
  insertToken(key: SubjectKey, token: NewSubjectToken, at: number): void;
  /** Adds to a daily counter (the `suppressions` table: numbers only). */
  addCounter(projectId: string, day: number, reason: string, count: number): void;
  /** Deletes the subject's tokens except `keepId` and except the `keepNewest` newest; returns how many. */
  deleteTokens(key: SubjectKey, keep: { readonly keepId?: string; readonly keepNewest?: number }): number;
  /** The project's chain head; PostgreSQL locks it, serialising the project's appends across processes. */
  lockLedgerHead(projectId: string): { readonly seq: number; readonly hash: string } | undefined;
  /** Inserts an entry; returns its seq. */
  insertLedgerEntry(row: LedgerRow): number;
  setLedgerHead(head: LedgerHead): void;
  /** Whether any of the project's entries has no key id (was sealed before the ledger key). */
  hasUnkeyedEntries(projectId: string): boolean;
  /** Up to `limit` of the project's entries after `afterSeq`, in order. */
  ledgerPage(projectId: string, afterSeq: number, limit: number): LedgerEntry[];
  /** Sets or (null) clears the subject's legal hold. */
  setHold(key: SubjectKey, hold: LegalHold | null): void;
  ledgerCheckpoint(projectId: string): LedgerCheckpoint | undefined;
  setLedgerCheckpoint(checkpoint: LedgerCheckpoint): void;
  /** Deletes the project's entries up to and including `seq`; returns how many. */
  deleteLedgerThrough(projectId: string, seq: number): number;
  /** The seq of the subject's newest `decision` entry, if any. */
  latestDecisionSeq(key: SubjectKey): number | undefined;
  /** Rewrites an entry's seal and link (re-sealing a chain from before the ledger key). */
  resealEntry(seq: number, seal: Pick<LedgerEntry, 'channel' | 'auth' | 'policyHash' | 'keyId' | 'prevHash' | 'hash'>): void;
}

/** The port's operations as rules call them: `yield* db.lockSubject(key)`. */
export const db = operations<SubjectPort>();
