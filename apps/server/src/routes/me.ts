/**
 * The subject's own rights, authorised by the subject token the SDK received on its first
 * consent decision (`Authorization: Bearer <token>`).
 */
import { rectificationSchema } from '@heed/policy';
import { Hono, type Context, type Next } from 'hono';
import { sha256Hex } from '../crypto/digest.js';
import { HttpProblem } from '../http/problem.js';
import { limitBody } from '../http/read-body.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import type { SubjectRef } from '../rights/requests.js';
import { applyConsentDecision } from '../ingest/record-consent.js';
import { exportQuery, meConsentBody, objectBody, restrictBody } from '../rights/rights-schemas.js';
import { access, erase, object, rectify, restrict, withdraw } from '../rights/subject-rights.js';
import type { Services } from '../services.js';
import { accessResponse } from './rights-responses.js';

type Env = { Variables: { subject: SubjectRef } };

/** Rights bodies are a few fields; anything larger is not a rights request. */
export const RIGHTS_BODY_LIMIT = 4_096;

export function meRoutes(services: Services) {
  const limitRightsBody = limitBody(RIGHTS_BODY_LIMIT);
  return new Hono<Env>()
    .use('/v1/me', limitRightsBody, authorise)
    .use('/v1/me/*', limitRightsBody, authorise)
    .get('/v1/me', async (c) => {
      const { format } = validate(exportQuery, c.req.query());
      return accessResponse(c, await access(services, c.get('subject'), format === 'csv' ? 'portability' : 'access'), format);
    })
    .patch('/v1/me', async (c) => c.json(await rectify(services, c.get('subject'), validate(rectificationSchema, await readJson(c)))))
    .post('/v1/me/restrict', async (c) => c.json(await restrict(services, c.get('subject'), validate(restrictBody, await readJson(c)).restricted)))
    .post('/v1/me/object', async (c) => {
      const body = validate(objectBody, await readJson(c));
      return c.json(await object(services, c.get('subject'), body.purposes, body.objected));
    })
    .post('/v1/me/withdraw', async (c) => c.json(await withdraw(services, c.get('subject'))))
    .post('/v1/me/consent', async (c) => {
      const { purposes } = validate(meConsentBody, await readJson(c));
      const ref = c.get('subject');
      const current = (await services.store.loadSubjects(ref.projectId, [ref.pseudonym])).get(ref.pseudonym);
      // A new decision keeps the objections already made (they are a separate right).
      const objections = [...(current?.state.objected ?? [])];
      const now = services.clock.now();
      return c.json(await applyConsentDecision(services, ref, { policyVersion: services.policy.version, purposes, gpc: false, objections, ts: now }));
    })
    .delete('/v1/me', async (c) => c.json(await erase(services, c.get('subject'))));

  async function authorise(c: Context<Env>, next: Next) {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,64})$/.exec(header)?.[1];
    const subject = token === undefined ? undefined : await services.store.findSubjectByToken(sha256Hex(token));
    if (!subject || subject.state.erased) {
      throw new HttpProblem('unauthorized', { detail: 'Present the subject token as "Authorization: Bearer <token>".' });
    }
    c.set('subject', { projectId: subject.projectId, pseudonym: subject.pseudonym, via: 'subject' });
    await next();
  }
}
