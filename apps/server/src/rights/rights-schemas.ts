/** Bodies of the rights routes. */
import { purposeIdSchema } from '@heed/policy';
import { z } from 'zod';
import { HOLD_GROUNDS, REFUSAL_GROUNDS } from '../store/store.js';
import { RIGHT_KINDS } from './requests.js';

export const restrictBody = z.strictObject({ restricted: z.boolean() });
export const objectBody = z.strictObject({ purposes: z.array(purposeIdSchema).min(1).max(50), objected: z.boolean().default(true) });
export const exportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
/** Staff name the subject by the platform's user id, in the body: never in a URL, which logs keep. */
export const adminSubjectBody = z.object({ userId: z.string().min(1).max(256) });
/** A request that reached staff by mail: when it arrived sets its one-month due date. */
export const openRequestBody = z.strictObject({
  userId: z.string().min(1).max(256).optional(),
  kind: z.enum(RIGHT_KINDS),
  receivedAt: z.int().min(0).optional(),
});
export const completeRequestBody = z.strictObject({ outcome: z.string().min(1).max(500) });
/** An extension (Art. 12(3)): the new due date, why, and when the subject was told. */
export const extendRequestBody = z.strictObject({ until: z.int().min(0), reason: z.string().min(1).max(500), noticeAt: z.int().min(0) });
/** A refusal: a ground from the fixed list and the reason in words. */
export const refuseRequestBody = z.strictObject({ ground: z.enum(REFUSAL_GROUNDS), reason: z.string().min(1).max(500) });
/** A legal hold on a subject: the ground, why, and until when (absent: until lifted). */
export const holdBody = z.strictObject({ ground: z.enum(HOLD_GROUNDS), reason: z.string().min(1).max(500), until: z.int().min(0).optional() });
/** Staff lifting a restriction say when and how they told the subject (Art. 18(3)). */
export const staffRestrictBody = z.strictObject({ restricted: z.boolean(), informedAt: z.int().min(0).optional(), how: z.string().min(1).max(200).optional() });
/** What the platform's backend names its logged-in user by. */
export const backendSubjectBody = z.strictObject({ userId: z.string().min(1).max(256) });
export const identityModeBody = z.strictObject({ mode: z.enum(['enforce', 'report', 'off']) });
/** A rotation's overlap: how long the previous secret keeps verifying (at most 90 days). */
export const rotateSecretBody = z.strictObject({ overlapMs: z.int().min(0).max(90 * 86_400_000).optional() });
/** A consent decision made on the privacy page, with the subject token. */
export const meConsentBody = z.strictObject({ purposes: z.record(purposeIdSchema, z.boolean()) });
