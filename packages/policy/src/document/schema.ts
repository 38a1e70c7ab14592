/**
 * The policy document: what Heed enforces. Purposes with their legal basis (GDPR Art. 6(1)),
 * retention per data class, the k-anonymity threshold and the ingest limits. The server loads
 * one at start (the default, or `HEED_POLICY_FILE`); the SDK and the privacy page read it
 * from `GET /v1/policy`.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** Legal bases of GDPR Art. 6(1) that the platform's policy (clause 3) relies on. */
export const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract', 'legal_obligation'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** Data classes with a retention period each (DESIGN.md, Storage). */
export const DATA_CLASSES = [
  'rawEvents',
  'activity',
  'aggregates',
  'consentProof',
  'rightsRequests',
] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

const isoDuration = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, { message: 'must be an ISO 8601 duration such as P30D' });

/**
 * A text in the policy's languages: Dutch and English always (the policy is Dutch, staff read
 * English); French where the controller provides it (users in Belgium read nl, fr or de).
 * Readers fall back to English for a language the document does not have.
 */
export const localizedSchema = z.object({ nl: z.string().min(1), en: z.string().min(1), fr: z.string().min(1).optional() });
const localized = localizedSchema;
export type Localized = z.infer<typeof localizedSchema>;

/** An ISO calendar date, e.g. 2026-11-01. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-01');

export const purposeIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower snake_case, at most 40 characters');

export const purposeSchema = z.object({
  id: purposeIdSchema,
  basis: z.enum(LEGAL_BASES),
  /** Whether automatic usage tracking (sessions, active time, feature use) may feed it. */
  usageTracking: z.boolean(),
  title: localized,
  description: localized,
  dataCategories: z.array(z.string().min(1)).min(1),
});

export const policyVersionSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:\.\d+)?$/, 'must be a date, optionally with a counter: 2026-11-01 or 2026-11-01.2');

/** Limits on what one request may carry; the server enforces them, the SDK stays under them. */
export const ingestLimitsSchema = z.object({
  maxBodyBytes: z.int().min(1_024).max(10 * 1024 * 1024),
  maxEventsPerBatch: z.int().min(1).max(10_000),
  maxNameLength: z.int().min(1).max(500),
  maxPropsKeys: z.int().min(0).max(200),
  maxPropsDepth: z.int().min(1).max(8),
  maxPropsBytes: z.int().min(2).max(64 * 1024),
  maxStringLength: z.int().min(1).max(10_000),
  /** How far ahead of the server's clock an event may be stamped (client clocks drift). */
  maxFutureSkewMs: z.int().min(0),
  /** How old an event may be on arrival: queued offline events arrive late, within bounds. */
  maxEventAge: isoDuration,
});
export type IngestLimits = z.infer<typeof ingestLimitsSchema>;

export const policyDocumentSchema = z
  .object({
    version: policyVersionSchema,
    /** Whether this version's change from the previous one is substantial (clause 7): consent is asked again. */
    substantial: z.boolean(),
    /** When this version takes effect (a substantial change is announced before; clause 7). Default: the version's date. */
    effectiveDate: isoDate.optional(),
    /** What changed from the previous version, for the people it is announced to. */
    changeSummary: localized.optional(),
    /** Earlier versions, oldest first, so consent given under any of them can be judged. */
    history: z
      .array(z.object({ version: policyVersionSchema, substantial: z.boolean() }))
      .default([]),
    controller: z.object({
      name: z.string().min(1),
      address: z.string().min(1),
      registration: z.string().min(1),
      contact: z.email(),
      supervisoryAuthority: z.string().min(1),
    }),
    purposes: z.array(purposeSchema).min(1),
    recipients: z.array(z.string().min(1)),
    securityMeasures: z.array(z.string().min(1)).min(1),
    retention: z.object(
      Object.fromEntries(DATA_CLASSES.map((name) => [name, isoDuration])) as Record<DataClass, typeof isoDuration>,
    ),
    /** No statistic is shown that was computed from fewer distinct subjects than this. */
    kAnonymity: z.int().min(2).max(1_000),
    limits: ingestLimitsSchema,
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.purposes.forEach((purpose, index) => {
      if (seen.has(purpose.id)) {
        ctx.addIssue({ code: 'custom', path: ['purposes', index, 'id'], message: `duplicate purpose id "${purpose.id}"` });
      }
      seen.add(purpose.id);
    });
    const versions = [...policy.history.map((entry) => entry.version), policy.version];
    versions.forEach((version, index) => {
      const previous = versions[index - 1];
      if (previous !== undefined && previous >= version) {
        const path = index === versions.length - 1 ? ['version'] : ['history', index, 'version'];
        ctx.addIssue({ code: 'custom', path, message: `versions must increase: "${version}" follows "${previous}"` });
      }
    });
  });

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type Purpose = z.infer<typeof purposeSchema>;
