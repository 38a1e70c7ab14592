/**
 * The SDK's write routes: `POST /v1/consent` and `POST /v1/batch`. Declarative: read the
 * body within the limit, validate it, resolve the write key, rate-limit per key, hand the
 * work to the domain function, answer.
 */
import { Hono } from 'hono';
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

  return new Hono()
    .post('/v1/consent', async (c) => {
      const decision = validate(services.schemas.consent, await readBoundedJson(c, options.bodyLimit));
      const projectId = await services.keys.resolve(decision.writeKey, 'write');
      takeToken(projectId);
      return c.json(await recordConsent(services, projectId, decision));
    })
    .post('/v1/batch', async (c) => {
      const batch = validate(services.schemas.batch, await readBoundedJson(c, options.bodyLimit));
      const projectId = await services.keys.resolve(batch.writeKey, 'write');
      takeToken(projectId);
      return c.json(await ingestBatch(services, projectId, batch));
    });
}
