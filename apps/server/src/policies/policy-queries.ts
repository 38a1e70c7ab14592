/**
 * What `GET /v1/policy` and `GET /v1/policy/versions/:version` accept: the routes validate with
 * these, and the OpenAPI document describes them, so both read one definition.
 */
import { z } from 'zod';

export const policyQuery = z.object({
  project: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a project id such as p_0a1b2c3d4e5f').optional(),
  /** Ignored: the SDK names the version it replaces so that no cache answers with the old text. */
  after: z.string().max(64).optional(),
});

export const versionQuery = z.object({
  project: policyQuery.shape.project,
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex').optional(),
});
