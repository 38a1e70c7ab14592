/**
 * @heed/policy: the policy document, the decision table and the v1 wire schemas shared by
 * the SDK and the server. Pure TypeScript: no I/O, no Node built-ins.
 */
export { DEFAULT_POLICY } from './document/default-policy.js';
export {
  DATA_CLASSES,
  LEGAL_BASES,
  ingestLimitsSchema,
  localizedSchema,
  policyDocumentSchema,
  policyVersionSchema,
  purposeIdSchema,
} from './document/schema.js';
export type { DataClass, IngestLimits, LegalBasis, Localized, PolicyDocument, Purpose } from './document/schema.js';
export { checkPolicyChange, effectiveDateOf, policyWidenings } from './document/policy-change.js';
export { placeholdersIn, policyTemplate, TEMPLATE_PLACEHOLDER } from './document/policy-template.js';
export type { PolicyChangeIssue } from './document/policy-change.js';
export { approximateDurationMs, parseDuration, subtractDuration } from './document/duration.js';
export type { Duration } from './document/duration.js';

export { DROP_REASONS, allowedTrackingPurposes, consentBaseline, decide, isConsentCurrent } from './decision/decide.js';
export type { Decision, DropReason } from './decision/decide.js';
export { UNDECIDED } from './decision/subject-state.js';
export { changeObjections, misdirectedObjections } from './decision/objections.js';
export { anonymousPreimage, identifiedPreimage } from './identity/subject-hash.js';
export { ASSERTION_VERSION, assertionMessage, formatAssertion, parseAssertion } from './identity/assertion.js';
export type { ParsedAssertion } from './identity/assertion.js';
export type { ConsentRecord, SubjectState } from './decision/subject-state.js';

export {
  DEVICE_CLASSES,
  EVENT_TYPES,
  anonymousIdSchema,
  createWireSchemas,
  rectificationSchema,
  subjectHashSchema,
  subjectProofSchema,
  timeZoneSchema,
  wireSchemas,
} from './wire/schemas.js';
export type {
  BatchRequest,
  ConsentDecision,
  ConsentRequest,
  DeviceClass,
  EventType,
  HeartbeatEvent,
  Rectification,
  SessionEndEvent,
  SessionStartEvent,
  SubjectProof,
  TrackEvent,
  WireEvent,
  WireSchemas,
} from './wire/schemas.js';
export { checkProps } from './wire/props.js';
export type { PropValue, Props, PropsProblem } from './wire/props.js';
export { checkEventTime, eventTimeWindow } from './wire/event-time.js';
export type { EventTimeProblem } from './wire/event-time.js';
export { describeIssues } from './wire/issues.js';
export type { BatchResponse, ConsentResponse, FieldIssue } from './wire/responses.js';
export { isTimeZone } from './wire/time-zone.js';

export { renderRecordOfProcessing } from './render/record-of-processing.js';
