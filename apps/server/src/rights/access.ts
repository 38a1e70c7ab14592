/**
 * Access (Art. 15) and portability (Art. 20): everything held about a subject, and everything
 * Art. 15(1)(a)-(h) says the subject is owed besides, as a documented, versioned JSON document
 * (docs/access-format.md; its JSON Schema is docs/access-answer.schema.json), or as one CSV file
 * per table in a zip. Taken from the policy in force for the subject's project: the purposes
 * with their legal basis and texts, recipients, retention per data class, the controller and the
 * supervisory authority. Aggregates are explained, not listed: they are k-anonymised counts,
 * not data about the subject.
 */
import { decide, effectiveDateOf, type PolicyDocument } from '@heed/policy';
import { strToU8, zipSync } from 'fflate';
import type { ResolvedPolicy } from '../policies/policy-registry.js';
import type { Services } from '../services.js';
import type { SubjectData } from '../store/store.js';
import { AUTOMATED_DECISIONS_TEXT, DATA_CLASS_TEXTS, KEPT_LONGER_TEXT, RIGHT_TEXTS, SOURCE_TEXT } from './access-texts.js';
import { toCsv } from './csv.js';
import { holdInForce } from './hold-in-force.js';

/** Bump when a field changes meaning; docs/access-format.md describes each version. */
export const ACCESS_SCHEMA = 'https://heed.dev/schemas/access/v2';

/** The Art. 15(1) part of the answer: what is done with the data and what the subject may do. */
function aboutTheProcessing(policy: PolicyDocument, data: SubjectData) {
  const { state } = data.subject;
  return {
    purposes: policy.purposes.map((purpose) => {
      const decision = decide(state, purpose.id, policy);
      return {
        id: purpose.id,
        basis: purpose.basis,
        title: purpose.title,
        description: purpose.description,
        dataCategories: purpose.dataCategories,
        usageTracking: purpose.usageTracking,
        /** Whether your data is processed for it now, and if not, why (the decision table). */
        processed: decision.allow,
        ...(decision.allow ? {} : { notProcessedBecause: decision.reason }),
      };
    }),
    recipients: policy.recipients,
    retention: Object.entries(policy.retention).map(([dataClass, period]) => ({ dataClass, period, what: DATA_CLASS_TEXTS[dataClass as keyof typeof DATA_CLASS_TEXTS] })),
    keptLonger: KEPT_LONGER_TEXT,
    rights: RIGHT_TEXTS,
    complaint: { authority: policy.controller.supervisoryAuthority, article: 'Art. 77' },
    source: SOURCE_TEXT,
    automatedDecisions: { made: false, statement: AUTOMATED_DECISIONS_TEXT },
  };
}

/** The archived text this answer was given under, for this project (its own policy, or the server's), pinned by hash. */
function policyTextLink(projectId: string, version: string, hash: string): string {
  return `/v1/policy/versions/${encodeURIComponent(version)}?project=${encodeURIComponent(projectId)}&hash=${hash}`;
}

export function accessDocument(services: Services, resolved: ResolvedPolicy, data: SubjectData) {
  const { subject } = data;
  const policy = resolved.document;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  // A hold whose end has passed binds nothing, so the answer does not show it.
  const maybeHold = holdInForce(subject.legalHold, services.clock.now());
  return {
    schema: ACCESS_SCHEMA,
    generatedAt: iso(services.clock.now()),
    controller: policy.controller,
    policy: { version: policy.version, hash: resolved.hash, effectiveDate: effectiveDateOf(policy), text: policyTextLink(subject.projectId, policy.version, resolved.hash) },
    subject: {
      pseudonym: subject.pseudonym,
      createdAt: iso(subject.createdAt),
      lastSeenAt: iso(subject.lastSeenAt),
      timeZone: subject.tz,
      deviceClass: subject.device,
      /** Fields you corrected (Art. 16): the values above are yours, and later visits do not change them. */
      corrected: subject.corrected,
      consent: subject.state.consent,
      objected: subject.state.objected,
      restricted: subject.state.restricted,
      erased: subject.state.erased,
      legalHold: maybeHold && { ...maybeHold, until: iso(maybeHold.until) },
    },
    ...aboutTheProcessing(policy, data),
    consentHistory: data.ledger.map((entry) => ({
      seq: entry.seq,
      action: entry.action,
      policyVersion: entry.policyVersion,
      policyHash: entry.policyHash,
      at: iso(entry.at),
      /** Who acted (sdk, subject, staff, backend, system) and how they were authenticated. */
      channel: entry.channel,
      auth: entry.auth,
      detail: entry.detail,
      prevHash: entry.prevHash,
      hash: entry.hash,
    })),
    events: data.events.map((event) => ({
      id: event.id,
      type: event.type,
      at: iso(event.ts),
      receivedAt: iso(event.receivedAt),
      sessionId: event.sessionId,
      name: event.name,
      durationMs: event.durationMs,
      activeMs: event.activeMs,
      props: event.props === null ? null : (JSON.parse(event.props) as unknown),
      purposes: event.purposes.split(',').filter(Boolean),
    })),
    sessions: data.sessions.map((session) => ({
      sessionId: session.sessionId,
      startedAt: iso(session.startedAt),
      lastSeenAt: iso(session.lastSeenAt),
      endedAt: iso(session.endedAt),
      activeMs: session.activeMs,
      events: session.events,
    })),
    activity: data.activity.map((row) => ({ purpose: row.purpose, grain: row.grain, bucketStart: iso(row.bucket) })),
    /** The live subject tokens (their ids, never the tokens): each device or link that can reach this answer. */
    subjectTokens: data.tokens.map((token) => ({ id: token.id, issuedAt: iso(token.createdAt), issuedTo: token.channel })),
    rightsRequests: data.requests.map((request) => ({
      id: request.id,
      kind: request.kind,
      via: request.via,
      state: request.state,
      receivedAt: iso(request.receivedAt),
      dueAt: iso(request.dueAt),
      extensionReason: request.extensionReason,
      completedAt: iso(request.completedAt),
      refusalGround: request.refusalGround,
      outcome: request.outcome,
    })),
    aggregates: {
      held: false,
      explanation:
        `Your events also add to hourly and daily counts (sessions, active time, feature use) per purpose. Those counts hold no ` +
        `identifier and are shown only when at least ${policy.kAnonymity} people contributed, so they are not data about you. ` +
        `While processing is restricted, or after erasure, your held events are taken out of them.`,
    },
  };
}

export type AccessDocument = ReturnType<typeof accessDocument>;

/**
 * One answer for a person whose data an earlier version kept under two pseudonyms (a key
 * rotation, `findEverySubjectByUserId`): the newest row's subject and processing, and the copy
 * of the data (Art. 15(3)) of every row, since the person asked once, for all of it.
 */
export function withCopiesOf(newest: AccessDocument, older: readonly AccessDocument[]): AccessDocument {
  const all = [newest, ...older];
  return {
    ...newest,
    consentHistory: all.flatMap((document) => document.consentHistory),
    events: all.flatMap((document) => document.events),
    sessions: all.flatMap((document) => document.sessions),
    activity: all.flatMap((document) => document.activity),
    subjectTokens: all.flatMap((document) => document.subjectTokens),
    rightsRequests: all.flatMap((document) => document.rightsRequests),
  };
}

/** The same content as CSV files in a zip, one per table, plus a README. */
export function accessZip(document: AccessDocument): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(
      `Export of the data held about pseudonym ${document.subject.pseudonym}, generated ${document.generatedAt}.\r\n` +
        `Format ${document.schema}. One CSV file per table (RFC 4180, UTF-8).\r\n\r\n${document.aggregates.explanation}\r\n\r\n` +
        `Source: ${document.source.en}\r\n${document.automatedDecisions.statement.en}\r\nComplaints: ${document.complaint.authority}\r\n`,
    ),
    'subject.csv': strToU8(
      toCsv(['pseudonym', 'createdAt', 'lastSeenAt', 'timeZone', 'deviceClass', 'consentVersion', 'granted', 'withdrawn', 'objected', 'restricted', 'erased'], [
        {
          pseudonym: document.subject.pseudonym,
          createdAt: document.subject.createdAt,
          lastSeenAt: document.subject.lastSeenAt,
          timeZone: document.subject.timeZone,
          deviceClass: document.subject.deviceClass,
          consentVersion: document.subject.consent?.policyVersion ?? null,
          granted: document.subject.consent?.granted.join(' ') ?? null,
          withdrawn: document.subject.consent?.withdrawn ?? null,
          objected: document.subject.objected.join(' '),
          restricted: document.subject.restricted,
          erased: document.subject.erased,
        },
      ]),
    ),
    'consent_history.csv': strToU8(
      toCsv(['seq', 'action', 'policyVersion', 'policyHash', 'at', 'channel', 'auth', 'detail', 'prevHash', 'hash'], document.consentHistory.map((entry) => ({ ...entry, detail: JSON.stringify(entry.detail) }))),
    ),
    'events.csv': strToU8(
      toCsv(['id', 'type', 'at', 'receivedAt', 'sessionId', 'name', 'durationMs', 'activeMs', 'props', 'purposes'], document.events.map((event) => ({
        ...event,
        props: event.props === null ? null : JSON.stringify(event.props),
        purposes: event.purposes.join(' '),
      }))),
    ),
    'sessions.csv': strToU8(toCsv(['sessionId', 'startedAt', 'lastSeenAt', 'endedAt', 'activeMs', 'events'], document.sessions)),
    'activity.csv': strToU8(toCsv(['purpose', 'grain', 'bucketStart'], document.activity)),
    'subject_tokens.csv': strToU8(toCsv(['id', 'issuedAt', 'issuedTo'], document.subjectTokens)),
    'rights_requests.csv': strToU8(toCsv(['id', 'kind', 'via', 'state', 'receivedAt', 'dueAt', 'extensionReason', 'completedAt', 'refusalGround', 'outcome'], document.rightsRequests)),
    'purposes.csv': strToU8(toCsv(['id', 'basis', 'processed', 'notProcessedBecause', 'title', 'description'], document.purposes.map((purpose) => ({
      id: purpose.id, basis: purpose.basis, processed: purpose.processed, notProcessedBecause: purpose.notProcessedBecause ?? null,
      title: purpose.title.en, description: purpose.description.en,
    })))),
  };
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2026, 0, 1)) });
}
