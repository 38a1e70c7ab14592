/**
 * The access answer (Art. 15) as a schema: the contract `docs/access-answer.schema.json` is
 * generated from (`pnpm --filter @heed/server exec tsx scripts/write-access-schema.ts` writes it; a test fails when the file and this schema
 * differ, and validates real answers against the file). Each Art. 15(1) item has its field:
 * (a) `purposes`, (b) `purposes[].dataCategories`, (c) `recipients`, (d) `retention`,
 * (e) `rights`, (f) `complaint`, (g) `source`, (h) `automatedDecisions`; Art. 15(3), the copy
 * of the data, is the rest.
 */
import { DATA_CLASSES, DROP_REASONS, LEGAL_BASES, localizedSchema } from '@heed/policy';
import { z } from 'zod';
import { HOLD_GROUNDS, REFUSAL_GROUNDS } from '../store/store.js';

const iso = z.iso.datetime();
const maybeIso = iso.nullable();
const texts = z.object({ en: z.string(), nl: z.string(), fr: z.string() });

export const accessAnswerSchema = z.strictObject({
  schema: z.literal('https://heed.dev/schemas/access/v2'),
  generatedAt: iso,
  controller: z.object({ name: z.string(), address: z.string(), registration: z.string(), contact: z.string(), supervisoryAuthority: z.string() }),
  policy: z.strictObject({ version: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/), effectiveDate: z.iso.date(), text: z.string() }),
  subject: z.strictObject({
    pseudonym: z.string(),
    createdAt: iso,
    lastSeenAt: maybeIso,
    timeZone: z.string().nullable(),
    deviceClass: z.string().nullable(),
    corrected: z.array(z.enum(['tz', 'device'])),
    consent: z.strictObject({ policyVersion: z.string(), granted: z.array(z.string()), withdrawn: z.boolean() }).nullable(),
    objected: z.array(z.string()),
    restricted: z.boolean(),
    erased: z.boolean(),
    legalHold: z.strictObject({ ground: z.enum(HOLD_GROUNDS), reason: z.string(), until: maybeIso }).nullable(),
  }),
  purposes: z.array(z.strictObject({
    id: z.string(),
    basis: z.enum(LEGAL_BASES),
    title: localizedSchema,
    description: localizedSchema,
    dataCategories: z.array(z.string()),
    usageTracking: z.boolean(),
    processed: z.boolean(),
    notProcessedBecause: z.enum(DROP_REASONS).optional(),
  })).min(1),
  recipients: z.array(z.string()),
  retention: z.array(z.strictObject({ dataClass: z.enum(DATA_CLASSES), period: z.string(), what: texts })).length(DATA_CLASSES.length),
  keptLonger: texts,
  rights: z.array(z.strictObject({ right: z.string(), article: z.string(), how: texts })).min(8),
  complaint: z.strictObject({ authority: z.string().min(1), article: z.literal('Art. 77') }),
  source: texts,
  automatedDecisions: z.strictObject({ made: z.literal(false), statement: texts }),
  consentHistory: z.array(z.strictObject({
    seq: z.int(), action: z.string(), policyVersion: z.string(), policyHash: z.string(), at: iso,
    channel: z.string(), auth: z.string(), detail: z.record(z.string(), z.unknown()), prevHash: z.string(), hash: z.string(),
  })),
  events: z.array(z.strictObject({
    id: z.string(), type: z.string(), at: iso, receivedAt: iso, sessionId: z.string(), name: z.string().nullable(),
    durationMs: z.int().nullable(), activeMs: z.int().nullable(), props: z.unknown(), purposes: z.array(z.string()),
  })),
  sessions: z.array(z.strictObject({ sessionId: z.string(), startedAt: iso, lastSeenAt: iso, endedAt: maybeIso, activeMs: z.int(), events: z.int() })),
  activity: z.array(z.strictObject({ purpose: z.string(), grain: z.string(), bucketStart: iso })),
  subjectTokens: z.array(z.strictObject({ id: z.string(), issuedAt: iso, issuedTo: z.string() })),
  rightsRequests: z.array(z.strictObject({
    id: z.string(), kind: z.string(), via: z.string(), state: z.enum(['received', 'extended', 'completed', 'refused']), receivedAt: iso, dueAt: iso,
    extensionReason: z.string().nullable(), completedAt: maybeIso, refusalGround: z.enum(REFUSAL_GROUNDS).nullable(), outcome: z.string().nullable(),
  })),
  aggregates: z.strictObject({ held: z.literal(false), explanation: z.string() }),
});

/** The JSON Schema of the answer, as `docs/access-answer.schema.json` holds it. */
export function accessAnswerJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(accessAnswerSchema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://heed.dev/schemas/access/v2',
    title: 'Heed access answer, version 2 (GDPR Art. 15 and 20)',
  } as Record<string, unknown>;
}
