/**
 * Staff routes for rights requests that reach the controller by mail: the same rights, by the
 * platform's user id (admin key). The server derives the client hash and the pseudonym as the
 * SDK and the ingest path do; the user id itself is neither stored nor logged, and travels in
 * the body so it stays out of URLs.
 */
import { rectificationSchema } from '@heed/policy';
import { Hono, type Context, type Next } from 'hono';
import { z } from 'zod';
import { HttpProblem } from '../http/problem.js';
import { limitBody } from '../http/read-body.js';
import { readJson } from '../http/read-json.js';
import { validate } from '../http/validate.js';
import { findSubjectByUserId } from '../rights/find-subject.js';
import { logOpenRequest, orderRequests, type SubjectRef } from '../rights/requests.js';
import { adminSubjectBody, completeRequestBody, exportQuery, objectBody, openRequestBody, restrictBody } from '../rights/rights-schemas.js';
import { access, erase, object, rectify, restrict, withdraw } from '../rights/subject-rights.js';
import type { Services } from '../services.js';
import { RIGHTS_BODY_LIMIT } from './me.js';
import { accessResponse } from './rights-responses.js';

type Env = { Variables: { projectId: string } };

export function adminRoutes(services: Services) {
  const limitRightsBody = limitBody(RIGHTS_BODY_LIMIT);
  const authorise = async (c: Context<Env>, next: Next) => {
    const key = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    c.set('projectId', await services.keys.resolve(key, 'admin'));
    await next();
  };

  /** Reads the body, finds the subject by user id under every pseudonym key. */
  async function subjectFrom<T extends z.ZodObject>(c: Context<Env>, extra: T): Promise<{ ref: SubjectRef; body: z.infer<T> }> {
    const raw = await readJson(c);
    const { userId } = validate(adminSubjectBody, raw);
    const body = validate(extra, Object.fromEntries(Object.entries(raw as object).filter(([key]) => key !== 'userId')));
    const ref = await findSubjectByUserId(services, c.get('projectId'), userId);
    if (!ref) throw new HttpProblem('not_found', { detail: 'No data is held about this user id in this project.' });
    return { ref, body };
  }

  const empty = z.strictObject({});
  return new Hono<Env>()
    .use('/v1/admin/*', limitRightsBody, authorise)
    .post('/v1/admin/subjects/access', async (c) => {
      const { ref, body } = await subjectFrom(c, z.strictObject({ format: exportQuery.shape.format }));
      return accessResponse(c, await access(services, ref, body.format === 'csv' ? 'portability' : 'access'), body.format);
    })
    .post('/v1/admin/subjects/rectify', async (c) => {
      const { ref, body } = await subjectFrom(c, rectificationSchema);
      return c.json(await rectify(services, ref, body));
    })
    .post('/v1/admin/subjects/restrict', async (c) => {
      const { ref, body } = await subjectFrom(c, restrictBody);
      return c.json(await restrict(services, ref, body.restricted));
    })
    .post('/v1/admin/subjects/object', async (c) => {
      const { ref, body } = await subjectFrom(c, objectBody);
      return c.json(await object(services, ref, body.purposes, body.objected));
    })
    .post('/v1/admin/subjects/withdraw', async (c) => c.json(await withdraw(services, (await subjectFrom(c, empty)).ref)))
    .post('/v1/admin/subjects/erase', async (c) => c.json(await erase(services, (await subjectFrom(c, empty)).ref)))
    .post('/v1/admin/requests', async (c) => {
      const body = validate(openRequestBody, await readJson(c));
      const projectId = c.get('projectId');
      const ref = body.userId === undefined ? undefined : await findSubjectByUserId(services, projectId, body.userId);
      const row = await logOpenRequest(services, { projectId, pseudonym: ref?.pseudonym ?? '', kind: body.kind, receivedAt: body.receivedAt ?? services.clock.now() });
      return c.json(row, 201);
    })
    .post('/v1/admin/requests/:id/complete', async (c) => {
      const { outcome } = validate(completeRequestBody, await readJson(c));
      const done = await services.store.completeRightsRequest(c.get('projectId'), c.req.param('id'), services.clock.now(), outcome);
      if (!done) throw new HttpProblem('not_found', { detail: 'No open request with that id in this project.' });
      return c.json({ completed: true });
    })
    .get('/v1/admin/requests', async (c) => {
      const rows = await services.store.listRightsRequests(c.get('projectId'));
      return c.json({ requests: orderRequests(rows, services.clock.now()) });
    });
}
