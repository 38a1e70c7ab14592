/**
 * The v1 wire format (DESIGN.md, "Wire format"): the single source of the field names that
 * the SDK sends and the server accepts. Schemas are built from the policy's ingest limits, so
 * a policy that tightens a limit tightens the contract on both sides.
 */
import { z } from 'zod';
import { DEFAULT_POLICY } from '../document/default-policy.js';
import { policyVersionSchema, purposeIdSchema, type IngestLimits } from '../document/schema.js';
import { checkProps, type Props } from './props.js';
import { isTimeZone } from './time-zone.js';

/** Coarse device classes: the only trace of the user agent that is kept. */
export const DEVICE_CLASSES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const EVENT_TYPES = ['session_start', 'heartbeat', 'track', 'session_end'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** nanoid's alphabet; 21 characters by default, a little room either side for other clients. */
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'must be 10 to 64 characters of A-Z a-z 0-9 _ -');
/** base64url of a SHA-256 digest, without padding. */
export const subjectHashSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256 digest (43 characters)');
const epochMs = z.int().min(0).max(8_640_000_000_000_000);
/** An active-time delta; a day is far beyond any heartbeat interval, so more is a bug. */
const activeMs = z.int().min(0).max(86_400_000);
const writeKeySchema = z.string().min(1).max(128);
/**
 * Who vouches for a subject (see identity/assertion.ts): an identity assertion the platform's
 * backend signed for its logged-in user, or the device's random anonymous id, from which the
 * server derives the anonymous hash itself. Only their size is checked here: a malformed or
 * wrong proof is an authentication failure (401/403), judged by the server's verifier.
 */
const proofText = z.string().min(1).max(256);
export const subjectProofSchema = z.union([z.strictObject({ identity: proofText }), z.strictObject({ anonymousId: proofText })]);
/** A device's random anonymous id: 21+ characters of nanoid's alphabet (126 bits), hopeless to guess. */
export const anonymousIdSchema = z.string().regex(/^[A-Za-z0-9_-]{21,64}$/, 'must be 21 to 64 characters of A-Z a-z 0-9 _ -');
export const timeZoneSchema = z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Brussels' });

/** Zod schemas for one set of limits. */
export function createWireSchemas(limits: IngestLimits) {
  const base = { id: idSchema, ts: epochMs, sessionId: idSchema, subject: subjectHashSchema };

  const propsSchema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = checkProps(value, limits);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }) as unknown as z.ZodType<Props>;

  const sessionStart = z.object({ ...base, type: z.literal('session_start') });
  const heartbeat = z.object({ ...base, type: z.literal('heartbeat'), activeMs });
  const sessionEnd = z.object({ ...base, type: z.literal('session_end'), activeMs });
  const track = z.object({
    ...base,
    type: z.literal('track'),
    name: z
      .string()
      .min(1)
      .max(limits.maxNameLength)
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or format characters'),
    durationMs: z.int().min(0).max(7 * 86_400_000).optional(),
    props: propsSchema.optional(),
  });

  const event = z.discriminatedUnion('type', [sessionStart, heartbeat, track, sessionEnd]);

  const batch = z.object({
    writeKey: writeKeySchema,
    sentAt: epochMs,
    tz: timeZoneSchema,
    device: z.enum(DEVICE_CLASSES),
    sdk: z.string().min(1).max(64),
    /** The proof for each subject hash the events carry (identified: signed; anonymous: its id). */
    proofs: z.record(subjectHashSchema, subjectProofSchema).refine((value) => Object.keys(value).length <= limits.maxEventsPerBatch, {
      message: `at most ${limits.maxEventsPerBatch} subjects`,
    }).optional(),
    events: z.array(event).min(1).max(limits.maxEventsPerBatch),
  });

  const consent = z.object({
    writeKey: writeKeySchema,
    subject: subjectHashSchema,
    policyVersion: policyVersionSchema,
    purposes: z.record(purposeIdSchema, z.boolean()).refine((value) => Object.keys(value).length <= 50, {
      message: 'at most 50 purposes',
    }),
    /** Global Privacy Control / Do Not Track seen on the device: objection to legitimate interest. */
    gpc: z.boolean().default(false),
    /** Legitimate-interest purposes objected to with this decision (Art. 21). */
    objections: z.array(purposeIdSchema).max(50).default([]),
    ts: epochMs,
    /** An identity assertion for an identified subject (identity/assertion.ts). */
    identity: proofText.optional(),
    /** The random id of an anonymous subject, whose hash the server derives itself. */
    anonymousId: proofText.optional(),
  }).refine((value) => value.identity === undefined || value.anonymousId === undefined, {
    message: 'send an identity assertion or an anonymous id, not both',
    path: ['anonymousId'],
  });

  return { event, batch, consent, props: propsSchema };
}

/** What `PATCH /v1/me` may correct (Art. 16): the rest is derived or historical. */
export const rectificationSchema = z.strictObject({
  tz: timeZoneSchema.optional(),
  device: z.enum(DEVICE_CLASSES).optional(),
});

/** The schemas for the default policy's limits. */
export const wireSchemas = createWireSchemas(DEFAULT_POLICY.limits);

export type WireSchemas = ReturnType<typeof createWireSchemas>;
export type WireEvent = z.infer<WireSchemas['event']>;
export type SessionStartEvent = Extract<WireEvent, { type: 'session_start' }>;
export type HeartbeatEvent = Extract<WireEvent, { type: 'heartbeat' }>;
export type TrackEvent = Extract<WireEvent, { type: 'track' }>;
export type SessionEndEvent = Extract<WireEvent, { type: 'session_end' }>;
export type BatchRequest = z.infer<WireSchemas['batch']>;
export type ConsentRequest = z.input<WireSchemas['consent']>;
export type ConsentDecision = z.infer<WireSchemas['consent']>;
export type Rectification = z.infer<typeof rectificationSchema>;
export type SubjectProof = z.infer<typeof subjectProofSchema>;
