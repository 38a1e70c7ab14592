/**
 * The SDK's write routes: `POST /v1/consent` and `POST /v1/batch`. Declarative: bound the
 * body, read and validate it, resolve the write key, rate-limit per key, hand the work to the
 * domain function, answer.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpProblem } from '../http/problem.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { recordConsent } from '../ingest/record-consent.js';
import type { Services } from '../services.js';

export function ingestRoutes(services: Services, options: { bodyLimit: number; limiter: RateLimiter }) {
  const limitBody = bodyLimit({
    maxSize: options.bodyLimit,
    onError: () => {
      throw new HttpProblem('body_too_large', { detail: `The body exceeds ${options.bodyLimit} bytes.` });
    },
  });
  const takeToken = (projectId: string) => {
    const verdict = options.limiter.take(projectId);
    if (!verdict.ok) {
      throw new HttpProblem('rate_limited', {
        detail: `Too many requests for this project; retry after ${verdict.retryAfterSeconds} s.`,
        headers: { 'retry-after': String(verdict.retryAfterSeconds) },
      });
    }
  };

  return new Hono()
    .post('/v1/consent', limitBody, async (c) => {
      const decision = validate(services.schemas.consent, await readJson(c));
      const projectId = await services.keys.resolve(decision.writeKey, 'write');
      takeToken(projectId);
      return c.json(await recordConsent(services, projectId, decision));
    })
    .post('/v1/batch', limitBody, async (c) => {
      const batch = validate(services.schemas.batch, await readJson(c));
      const projectId = await services.keys.resolve(batch.writeKey, 'write');
      takeToken(projectId);
      return c.json(await ingestBatch(services, projectId, batch));
    });
}
