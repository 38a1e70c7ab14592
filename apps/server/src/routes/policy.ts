/**
 * The policy texts, for anyone (the SDK, the banner, the privacy page, a user checking what they
 * agreed to): `GET /v1/policy` (the one in force; `?project=` for a project with its own) and
 * `GET /v1/policy/versions/:version` (an archived text; `?hash=` for the exact wording a ledger
 * entry names).
 */
import { policyVersionSchema } from '@heed/policy';
import { Hono } from 'hono';
import { validate } from '../http/validate.js';
import { policyQuery, versionQuery } from '../policies/policy-queries.js';
import { archivedPolicy, policyInForce } from '../policies/policy-texts.js';
import type { Services } from '../services.js';

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
