/**
 * Response bodies of the v1 ingest routes, shared so the SDK reads exactly what the server
 * writes.
 */
import type { DropReason } from '../decision/decide.js';
import type { EventTimeProblem } from './event-time.js';

export interface BatchResponse {
  /** Events stored (they served at least one purpose). */
  readonly accepted: number;
  /** Events whose id was seen before: a retry, counted once already. */
  readonly duplicates: number;
  /** Events not stored, with the reasons (numbers only). */
  readonly suppressed: number;
  readonly reasons: Partial<Record<DropReason, number>>;
  /** Events refused for their timestamp (clock far ahead, or older than the policy allows). */
  readonly rejected: number;
  readonly rejections: Partial<Record<EventTimeProblem, number>>;
  /** True when a substantial policy change superseded the consent: ask the user again. */
  readonly consentRequired: boolean;
  /** The policy version in force on the server. */
  readonly policyVersion: string;
}

export interface ConsentResponse {
  /** Present only on a subject's first decision; the SDK keeps it for the rights routes. */
  readonly subjectToken?: string;
  readonly policyVersion: string;
}

/** A field that failed validation, as reported in problem+json `errors`. */
export interface FieldIssue {
  /** Dotted path, e.g. `events.3.name`; empty for the body itself. */
  readonly field: string;
  readonly message: string;
}
