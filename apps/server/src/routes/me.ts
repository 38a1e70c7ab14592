/**
 * The subject's own rights, authorised by a subject token (`Authorization: Bearer <token>`):
 * the one a verified device got with its decision, or one the platform's backend minted.
 * Whatever is done here is recorded as the subject's own act, naming the token.
 */
import { rectificationSchema } from '@heed/policy';
import { Hono } from 'hono';
import { sha256Hex } from '../crypto/digest.js';
import { bearerAuth } from '../http/bearer.js';
import { limitBody } from '../http/read-body.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import { applyConsentDecision } from '../ingest/record-consent.js';
import type { SubjectRef } from '../rights/requests.js';
import { exportQuery, meConsentBody, objectBody, restrictBody } from '../rights/rights-schemas.js';
import { access, erase, object, rectify, restrict, withdraw } from '../rights/subject-rights.js';
import { revokeSubjectTokens } from '../rights/token-rights.js';
import type { Services } from '../services.js';
import { accessResponse } from './rights-responses.js';

type Env = { Variables: { subject: SubjectRef & { tokenId: string } } };

/** Rights bodies are a few fields; anything larger is not a rights request. */
export const RIGHTS_BODY_LIMIT = 4_096;

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

export function meRoutes(services: Services) {
  const limitRightsBody = limitBody(RIGHTS_BODY_LIMIT);
  const authorise = bearerAuth<'subject', SubjectRef & { tokenId: string }>('subject', {
    what: 'the subject token',
    realm: 'subject',
    async verify(token) {
      if (!TOKEN.test(token)) return undefined;
      const found = await services.store.findSubjectByToken(sha256Hex(token));
      if (!found || found.subject.state.erased) return undefined;
      const { projectId, pseudonym } = found.subject;
      return { projectId, pseudonym, tokenId: found.tokenId, actor: { channel: 'subject', auth: `subject_token:${found.tokenId}` } };
    },
  });
  return new Hono<Env>()
    .use('/v1/me', limitRightsBody, authorise)
    .use('/v1/me/*', limitRightsBody, authorise)
    .get('/v1/me', async (c) => {
      const { format } = validate(exportQuery, c.req.query());
      return accessResponse(c, await access(services, c.var.subject, format === 'csv' ? 'portability' : 'access'), format);
    })
    .patch('/v1/me', async (c) => c.json(await rectify(services, c.var.subject, validate(rectificationSchema, await readJson(c)))))
    .post('/v1/me/restrict', async (c) => c.json(await restrict(services, c.var.subject, validate(restrictBody, await readJson(c)).restricted)))
    .post('/v1/me/object', async (c) => {
      const body = validate(objectBody, await readJson(c));
      return c.json(await object(services, c.var.subject, body.purposes, body.objected));
    })
    .post('/v1/me/withdraw', async (c) => c.json(await withdraw(services, c.var.subject)))
    .post('/v1/me/consent', async (c) => {
      const { purposes } = validate(meConsentBody, await readJson(c));
      // A decision keeps the objections in force (the store adds, never lifts them).
      const policy = await services.policies.forProject(c.var.subject.projectId);
      const decision = { policyVersion: policy.document.version, purposes, gpc: false, objections: [], ts: services.clock.now() };
      return c.json(await applyConsentDecision(services, c.var.subject, decision));
    })
    // Revokes every other token of the subject (a lost phone, a shared link); the one in use stays.
    .delete('/v1/me/tokens', async (c) => c.json(await revokeSubjectTokens(services, c.var.subject, c.var.subject.tokenId)))
    .delete('/v1/me', async (c) => c.json(await erase(services, c.var.subject)));
}
