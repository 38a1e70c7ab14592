/**
 * One batch through the pipeline: time window -> who vouches for each subject (identity/:
 * refused, in `enforce`, before anything is written) -> pseudonymise -> subject state ->
 * decide per event and purpose -> store (dedupe, events, sessions, aggregates, suppression
 * counts in one transaction). The client's view of consent is never trusted: only the
 * server's state decides what is stored and under which purposes.
 */
import {
  allowedTrackingPurposes,
  checkEventTime,
  eventTimeWindow,
  type BatchRequest,
  type BatchResponse,
  type DropReason,
  type EventTimeProblem,
  type SubjectProof,
  UNDECIDED,
} from '@heed/policy';
import { resolveSubjects } from '../identity/resolve-subjects.js';
import type { Services } from '../services.js';
import type { AcceptedEvent } from '../store/store.js';

/** A client hash of the batch: its stored pseudonym, what the decision table allows it, and its events handed to the store. */
interface Subject {
  readonly pseudonym: string;
  readonly decision: ReturnType<typeof allowedTrackingPurposes>;
  stored: number;
}

/**
 * @example await ingestBatch(services, projectId, batch) // { accepted: 3, duplicates: 1, suppressed: 0, ... }
 */
export async function ingestBatch(services: Services, projectId: string, batch: BatchRequest): Promise<BatchResponse> {
  const { store, clock } = services;
  const policy = (await services.policies.forProject(projectId)).document;
  const started = performance.now();
  const receivedAt = clock.now();
  const window = eventTimeWindow(receivedAt, policy.limits);

  const rejections: Partial<Record<EventTimeProblem, number>> = {};
  const inWindow = batch.events.filter((event) => {
    const problem = checkEventTime(event.ts, window);
    if (problem) rejections[problem] = (rejections[problem] ?? 0) + 1;
    return problem === undefined;
  });

  // Usually one subject per batch: resolve each distinct client hash, and decide for it, once.
  const proofs = new Map<string, SubjectProof | undefined>();
  for (const event of inWindow) if (!proofs.has(event.subject)) proofs.set(event.subject, batch.proofs?.[event.subject]);
  // Throws (401/403/429) when the project enforces and a subject is not proven: nothing is written.
  const verdicts = await services.identity.check(projectId, proofs);
  const resolved = await resolveSubjects(services, projectId, proofs.keys());
  const subjects = new Map<string, Subject>();
  for (const [subject, { pseudonym, record }] of resolved) {
    subjects.set(subject, { pseudonym, decision: allowedTrackingPurposes(record?.state ?? UNDECIDED, policy), stored: 0 });
  }

  const reasons: Partial<Record<DropReason, number>> = {};
  const accepted: AcceptedEvent[] = [];
  let suppressed = 0;
  // A batch's events mostly come from one subject: look it up once per run of its events.
  let previous: string | undefined;
  let subject: Subject | undefined;
  for (const event of inWindow) {
    if (event.subject !== previous || subject === undefined) {
      previous = event.subject;
      subject = subjects.get(event.subject)!;
    }
    const { decision, pseudonym } = subject;
    if (decision.allowed.length === 0) {
      const reason = decision.dropped[0]?.reason ?? 'not_granted';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      suppressed++;
      continue;
    }
    subject.stored++;
    accepted.push({
      id: event.id,
      type: event.type,
      ts: event.ts,
      sessionId: event.sessionId,
      pseudonym,
      name: event.type === 'track' ? event.name : null,
      durationMs: event.type === 'track' ? (event.durationMs ?? null) : null,
      activeMs: event.type === 'heartbeat' || event.type === 'session_end' ? event.activeMs : null,
      propsJson: event.type === 'track' && event.props !== undefined ? JSON.stringify(event.props) : null,
      purposes: decision.allowed,
    });
  }
  // Stored events that a purpose may not serve (objection to update_timing, say), counted
  // per purpose for the operator; the response reports whole-event suppressions only. In
  // `report` mode, stored events whose subject was not proven are counted by why
  // (`identity_unverified:<failure>`), so the operator sees what `enforce` would refuse.
  const purposeDrops: Record<string, number> = {};
  for (const [hash, { decision, stored }] of subjects) {
    if (stored === 0 || decision.allowed.length === 0) continue;
    for (const { purpose, reason } of decision.dropped) purposeDrops[`${reason}:${purpose}`] = (purposeDrops[`${reason}:${purpose}`] ?? 0) + stored;
    const failure = verdicts.get(hash)?.failure;
    if (failure) purposeDrops[`identity_unverified:${failure}`] = (purposeDrops[`identity_unverified:${failure}`] ?? 0) + stored;
  }

  const result = await store.ingest({ projectId, receivedAt, tz: batch.tz, device: batch.device, events: accepted, suppressed: { ...reasons, ...purposeDrops } });
  // Erased or restricted between this decision and the store's transaction: the store
  // re-checked, stored none of their events and counted them; so does the answer.
  for (const [reason, count] of Object.entries(result.lateSuppressed ?? {}) as [DropReason, number][]) {
    reasons[reason] = (reasons[reason] ?? 0) + count;
    suppressed += count;
  }
  const rejected = inWindow.length === batch.events.length ? 0 : batch.events.length - inWindow.length;
  const response: BatchResponse = {
    accepted: result.accepted,
    duplicates: result.duplicates,
    suppressed,
    reasons,
    rejected,
    rejections,
    consentRequired: reasons.policy_superseded !== undefined || reasons.no_decision !== undefined,
    policyVersion: policy.version,
  };
  services.metrics.batchIngested(response, (performance.now() - started) / 1_000);
  return response;
}
