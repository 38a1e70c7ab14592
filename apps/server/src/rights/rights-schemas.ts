/** Bodies of the rights routes. */
import { purposeIdSchema } from '@heed/policy';
import { z } from 'zod';
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
/** What the platform's backend names its logged-in user by. */
export const backendSubjectBody = z.strictObject({ userId: z.string().min(1).max(256) });
export const identityModeBody = z.strictObject({ mode: z.enum(['enforce', 'report', 'off']) });
/** A rotation's overlap: how long the previous secret keeps verifying (at most 90 days). */
export const rotateSecretBody = z.strictObject({ overlapMs: z.int().min(0).max(90 * 86_400_000).optional() });
/** A consent decision made on the privacy page, with the subject token. */
export const meConsentBody = z.strictObject({ purposes: z.record(purposeIdSchema, z.boolean()) });
