/**
 * Access (Art. 15) and portability (Art. 20): everything held about a subject, as a
 * documented, versioned JSON document, or as one CSV file per table in a zip. Aggregates are
 * explained, not listed: they are k-anonymised counts, not data about the subject.
 */
import { strToU8, zipSync } from 'fflate';
import type { Services } from '../services.js';
import type { SubjectData } from '../store/store.js';
import { toCsv } from './csv.js';

/** Bump when a field changes meaning; docs/access-format.md describes each version. */
export const ACCESS_SCHEMA = 'https://heed.dev/schemas/access/v1';

export function accessDocument(services: Services, data: SubjectData) {
  const { subject } = data;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    schema: ACCESS_SCHEMA,
    generatedAt: iso(services.clock.now()),
    controller: services.policy.controller,
    policyVersion: services.policy.version,
    subject: {
      pseudonym: subject.pseudonym,
      createdAt: iso(subject.createdAt),
      lastSeenAt: iso(subject.lastSeenAt),
      timeZone: subject.tz,
      deviceClass: subject.device,
      consent: subject.state.consent,
      objected: subject.state.objected,
      restricted: subject.state.restricted,
      erased: subject.state.erased,
    },
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
      receivedAt: iso(request.receivedAt),
      dueAt: iso(request.dueAt),
      completedAt: iso(request.completedAt),
      outcome: request.outcome,
    })),
    aggregates: {
      held: false,
      explanation:
        `Your events also add to hourly and daily counts (sessions, active time, feature use) per purpose. Those counts hold no ` +
        `identifier and are shown only when at least ${services.policy.kAnonymity} people contributed, so they are not data about you. ` +
        `While processing is restricted, or after erasure, your held events are taken out of them.`,
    },
    retention: services.policy.retention,
  };
}

export type AccessDocument = ReturnType<typeof accessDocument>;

/** The same content as CSV files in a zip, one per table, plus a README. */
export function accessZip(document: AccessDocument): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'README.txt': strToU8(
      `Export of the data held about pseudonym ${document.subject.pseudonym}, generated ${document.generatedAt}.\r\n` +
        `Format ${document.schema}. One CSV file per table (RFC 4180, UTF-8).\r\n\r\n${document.aggregates.explanation}\r\n`,
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
    'rights_requests.csv': strToU8(toCsv(['id', 'kind', 'via', 'receivedAt', 'dueAt', 'completedAt', 'outcome'], document.rightsRequests)),
  };
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2026, 0, 1)) });
}
