/** Bodies of the rights routes. */
import { purposeIdSchema } from '@heed/policy';
import { z } from 'zod';

export const restrictBody = z.strictObject({ restricted: z.boolean() });
export const objectBody = z.strictObject({ purposes: z.array(purposeIdSchema).min(1).max(50), objected: z.boolean().default(true) });
export const exportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
/** Staff name the subject by the platform's user id, in the body: never in a URL, which logs keep. */
export const adminSubjectBody = z.object({ userId: z.string().min(1).max(256) });
