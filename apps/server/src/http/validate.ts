/**
 * Validates a value against a zod schema, or throws the 400 problem that names each failing
 * field. Every route validates through here.
 */
import { describeIssues } from '@heed/policy';
import type { z } from 'zod';
import { HttpProblem } from './problem.js';

export function validate<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new HttpProblem('validation', { detail: 'Some fields are not valid; see errors.', errors: describeIssues(result.error) });
  }
  return result.data;
}
