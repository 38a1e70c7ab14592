/**
 * Events on their way in (accepted, written, counted) and as the store gives them back.
 */
import type { DeviceClass } from '@heed/policy';
import type { PlannedEvent } from '../../aggregates/aggregate-plan.js';

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
