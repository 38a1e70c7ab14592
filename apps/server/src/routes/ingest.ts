/**
 * The SDK's write routes: `POST /v1/consent` and `POST /v1/batch`. Declarative: read the
 * body within the limit, validate it, resolve the write key, rate-limit per key, hand the
 * work to the domain function, answer.
 */
import type { WireSchemas } from '@heed/policy';
import { Hono } from 'hono';
import type { z } from 'zod';
import { HttpProblem } from '../http/problem.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { readBoundedJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { recordConsent } from '../ingest/record-consent.js';
import type { Services } from '../services.js';

export function ingestRoutes(services: Services, options: { bodyLimit: number; limiter: RateLimiter }) {
  const takeToken = (projectId: string) => {
    const verdict = options.limiter.take(projectId);
    if (!verdict.ok) {
      services.metrics.limitReached('request_rate');
      throw new HttpProblem('rate_limited', {
        detail: `Too many requests for this project; retry after ${verdict.retryAfterSeconds} s.`,
        headers: { 'retry-after': String(verdict.retryAfterSeconds) },
      });
    }
  };

  /**
   * A project with a policy of its own may set tighter ingest limits than the server's: the
   * body, valid under the server's schema, is checked again under the project's.
   */
  async function underProjectLimits<K extends 'consent' | 'batch'>(projectId: string, kind: K, body: unknown, valid: z.infer<WireSchemas[K]>): Promise<z.infer<WireSchemas[K]>> {
    const policy = await services.policies.forProject(projectId);
    return policy.own ? (validate(policy.schemas[kind], body) as z.infer<WireSchemas[K]>) : valid;
  }

  return new Hono()
    .post('/v1/consent', async (c) => {
      const body = await readBoundedJson(c, options.bodyLimit);
      const decision = validate(services.schemas.consent, body);
      const projectId = await services.keys.resolve(decision.writeKey, 'write');
      takeToken(projectId);
      return c.json(await recordConsent(services, projectId, await underProjectLimits(projectId, 'consent', body, decision)));
    })
    .post('/v1/batch', async (c) => {
      const body = await readBoundedJson(c, options.bodyLimit);
      const batch = validate(services.schemas.batch, body);
      const projectId = await services.keys.resolve(batch.writeKey, 'write');
      takeToken(projectId);
      return c.json(await ingestBatch(services, projectId, await underProjectLimits(projectId, 'batch', body, batch)));
    });
}
