/**
 * Zod schemas of response bodies, for the OpenAPI document only: the server builds these
 * bodies from TypeScript types, and `satisfies` ties each schema to its type, so the
 * document cannot drift from what the server sends without the build failing.
 */
import { DROP_REASONS, type BatchResponse, type ConsentResponse, type FieldIssue } from '@heed/policy';
import { z } from 'zod';

const fieldIssue = z.object({ field: z.string(), message: z.string() }) satisfies z.ZodType<FieldIssue>;

/** RFC 9457 problem details, as `HttpProblem.toJSON()` writes them. */
export const problemSchema = z.object({
  type: z.string().describe('A stable URI reference, e.g. https://heed.dev/problems/store-busy'),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(fieldIssue).optional().describe('For validation problems: each failing field'),
});

export const batchResponseSchema = z.object({
  accepted: z.int().min(0),
  duplicates: z.int().min(0),
  suppressed: z.int().min(0),
  reasons: z.partialRecord(z.enum(DROP_REASONS), z.int().min(0)),
  rejected: z.int().min(0),
  rejections: z.partialRecord(z.enum(['in_future', 'too_old']), z.int().min(0)),
  consentRequired: z.boolean(),
  policyVersion: z.string(),
}) satisfies z.ZodType<BatchResponse>;

export const consentResponseSchema = z.object({
  subjectToken: z.string().optional().describe('Only on a subject\'s first decision; keep it for the /v1/me routes'),
  policyVersion: z.string(),
}) satisfies z.ZodType<ConsentResponse>;

export const statusSchema = z.object({ status: z.string() });

/** Bodies whose shape is documented in prose (statistics, access documents). */
export const objectSchema = z.record(z.string(), z.unknown());
