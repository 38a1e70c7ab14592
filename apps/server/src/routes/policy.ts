/**
 * The policy texts, for anyone (the SDK, the banner, the privacy page, a user checking what they
 * agreed to): `GET /v1/policy` (the one in force; `?project=` for a project with its own) and
 * `GET /v1/policy/versions/:version` (an archived text; `?hash=` for the exact wording a ledger
 * entry names).
 */
import { policyVersionSchema } from '@heed/policy';
import { Hono } from 'hono';
import { z } from 'zod';
import { validate } from '../http/validate.js';
import { archivedPolicy, policyInForce } from '../policies/policy-texts.js';
import type { Services } from '../services.js';

export const policyQuery = z.object({
  project: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a project id such as p_0a1b2c3d4e5f').optional(),
  /** Ignored: the SDK names the version it replaces so that no cache answers with the old text. */
  after: z.string().max(64).optional(),
});
export const versionQuery = z.object({ project: policyQuery.shape.project, hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex').optional() });

export function policyRoutes(services: Services) {
  return new Hono()
    .get('/v1/policy', async (c) => {
      const { project } = validate(policyQuery, c.req.query());
      return c.json(await policyInForce(services, project), 200, { 'cache-control': 'public, max-age=300' });
    })
    .get('/v1/policy/versions/:version', async (c) => {
      const version = validate(policyVersionSchema, c.req.param('version'));
      const { project, hash } = validate(versionQuery, c.req.query());
      // An archived text never changes: caches may keep it.
      return c.json(await archivedPolicy(services, project, version, hash), 200, { 'cache-control': 'public, max-age=86400' });
    });
}
