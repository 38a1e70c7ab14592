/**
 * Turns zod's issues into the `field` + `message` pairs that problem+json reports, so every
 * rejection names the failing field (`events.3.props.plan`).
 */
import type { z } from 'zod';
import type { FieldIssue } from './responses.js';

const MAX_REPORTED = 20;

/**
 * @example describeIssues(result.error) // [{ field: 'events.0.ts', message: 'Invalid input: expected int, received string' }]
 */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, MAX_REPORTED).map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
